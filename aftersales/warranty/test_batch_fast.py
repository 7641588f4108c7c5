"""The batch's fast path against the plain path and against the reference decision.

The fast path (``batch_fast``) is a second implementation of reading a request, deciding it and
writing the answer line. Here the batch's chunks, which take the fast path wherever it answers,
are held byte for byte to the plain path (``request.facts_from_mapping``, ``engine.decide``,
``wire.decision_line``) over generated requests, valid and not; and to the reference decision
written from SPEC (``rules/test_reference.py``) over random facts, refusals included.
"""

import dataclasses
import datetime as dt
import random
import sys
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.core.errors import AppError
from aftersales.warranty.batch import decide_chunk
from aftersales.warranty.batch_fast import FastPath
from aftersales.warranty.request import facts_from_mapping
from aftersales.warranty.rules.conftest import PACKS
from aftersales.warranty.rules.engine import decide
from aftersales.warranty.rules.facts import Facts
from aftersales.warranty.rules.intake import DeviceInfo
from aftersales.warranty.rules.test_reference import random_facts, reference
from aftersales.warranty.rules.test_repairs import chains
from aftersales.warranty.wire import decision_line, error_line

FAST = FastPath(PACKS)
DEVICES = {d.serial: d for d in [
    DeviceInfo("AIO00042", "V241", "aio", dt.date(2020, 3, 4), dt.date(2020, 3, 20), "CN"),
    DeviceInfo("NB000007", "X13", "notebook", dt.date(2021, 3, 4), None, "US"),
]}
# Values a field may carry in a request: well formed, malformed, of the wrong type, unhashable.
ODD = st.sampled_from(["", "xx", "2023-02-30", "2023-1-1", 0, 5, -1, True, False, 1.5, [], [1], {},
                       {"a": 1}, ["liquid-damage", "liquid-damage"], ["scrapped"], [["x"]], ["2024-01-01"],
                       {"bright": 1, "dark": 2}, {"bright": True, "dark": 0}, {"bright": 1},
                       {"bright": -1, "dark": 0}, {"bright": 1, "dark": 2, "extra": 3},
                       {"distance_cm": 40, "temperature_c": 22, "lux": 300}, "CN", "US", "HK", "aio", "cpu",
                       "notebook", "battery", "lcd-panel", "liquid-damage", None, 1, 99, 100, 2**64 - 1, -(2**63),
                       "1", 1.0])


def as_request(f: Facts, line_id) -> dict:
    """The request a batch line would carry for ``f``."""
    day = lambda d: None if d is None else d.isoformat()  # noqa: E731
    data = {"id": line_id, "product_line": f.product_line, "manufactured_on": day(f.manufactured_on),
            "part": f.part, "purchased_on": day(f.purchased_on), "registered_on": day(f.registered_on),
            "sold_in": f.sold_in, "service_in": f.service_in, "as_of": day(f.as_of)}
    optional = {"shipped_on": day(f.shipped_on), "last_repair_on": day(f.last_repair_on),
                "exclusions": list(f.exclusions) or None, "repairs_on": [day(d) for d in f.repairs_on] or None,
                "lcd_dots": None if f.lcd_bright is None else {"bright": f.lcd_bright, "dark": f.lcd_dark},
                "lcd_inspection": None if f.lcd_inspection is None else dataclasses.asdict(f.lcd_inspection),
                "vip_visits_used": f.vip_visits_used or None}
    return {**data, **{k: v for k, v in optional.items() if v is not None}}


def requestable(f: Facts) -> Facts:
    """``f`` as a request can say it: dot counts both given, as whole numbers of 0 or more."""
    if f.lcd_bright is None and f.lcd_dark is None:
        return f
    return dataclasses.replace(f, lcd_bright=max(f.lcd_bright or 0, 0), lcd_dark=max(f.lcd_dark or 0, 0))


@st.composite
def requests(draw):
    """A request as the batch reads it: from random facts, now and then a field odd or missing,
    another field added, the fields in another order, or a serial number for the registry."""
    data = as_request(requestable(draw(random_facts())), draw(st.one_of(st.integers(0, 9), st.text(max_size=4))))
    for name in list(data):
        roll = draw(st.integers(0, 30))
        if roll == 0:
            del data[name]
        elif roll == 1:
            data[name] = draw(ODD)
    if draw(st.integers(0, 9)) == 0:
        data["note"] = "a field the batch does not read"
    if draw(st.booleans()):
        data = dict(sorted(data.items(), reverse=True))
    device = draw(st.sampled_from([None, None, None, *DEVICES.values()]))
    if device is not None:
        data["serial"] = device.serial
        if draw(st.integers(0, 3)):
            for name in ("product_line", "sold_in", "manufactured_on", "shipped_on"):
                data.pop(name, None)  # a serial line leaves these to the registry
    return data


def plain_line(data: dict) -> bytes:
    """The plain path's answer line for a request."""
    device = DEVICES.get(data.get("serial"))
    try:
        return decision_line(data.get("id"), decide(facts_from_mapping(data, device), PACKS))
    except AppError as exc:
        return error_line(data.get("id"), exc)


def batch_line(data: dict) -> bytes:
    out, _ = decide_chunk([orjson.dumps(data)], FAST, lambda serials: {s: DEVICES[s] for s in serials if s in DEVICES})
    return out.rstrip(b"\n")


@settings(max_examples=1500, deadline=None)
@given(requests())
def test_a_batch_line_is_byte_for_byte_what_the_plain_path_writes(data):
    # twice: the second time every memo the line touches is filled
    assert batch_line(data) == plain_line(data)
    assert batch_line(data) == plain_line(data)


@settings(max_examples=600, deadline=None)
@given(requests())
def test_the_fast_reading_of_a_request_gives_what_the_careful_reading_gives(data):
    device = DEVICES.get(data.get("serial"))
    values = FAST.read(data, device)
    if values is not None:
        assert Facts(*values) == facts_from_mapping(data, device)


@settings(max_examples=400, deadline=None)
@given(chains(), st.integers(0, 3), st.integers(1, 200))
def test_a_chain_of_repairs_is_decided_by_the_batch_as_by_the_plain_rules(chain, extra, days_late):
    # given a chain of warranty repairs; now and then one more repair made after the cover it left
    f, end = chain
    if extra == 0:
        late = end + dt.timedelta(days=days_late)
        f = dataclasses.replace(f, repairs_on=(*f.repairs_on, late), as_of=max(f.as_of, late))
    elif extra == 1:  # the latest repair in the one-date form
        ordered = sorted(f.repairs_on)
        f = dataclasses.replace(f, repairs_on=tuple(ordered[:-1]), last_repair_on=ordered[-1])
    data = as_request(f, 1)
    # then the batch line, cold and warm, is the plain path's, refusals included
    assert batch_line(data) == plain_line(data)
    assert batch_line(data) == plain_line(data)


def answer_as_reference(out: dict) -> dict:
    """A batch line in the reference's terms (a refusal by its code only: the line has no field)."""
    if "error" in out:
        return {"error": out["error"]["code"]}
    day = lambda s: None if s is None else dt.date.fromisoformat(s)  # noqa: E731
    return {"covered": out["covered"], "starts_on": day(out["starts_on"]), "ends_on": day(out["ends_on"]),
            "basis": out["basis"], "group": out["group"], "months": out["months"],
            "onsite_eligible": out["onsite"]["eligible"], "onsite_ends_on": day(out["onsite"]["ends_on"]),
            "reasons": [(r["code"], r["clause"]) for r in out["reasons"]], "clauses": out["clauses"],
            "pack": out["pack"]}


@settings(max_examples=1500, deadline=None)
@given(random_facts())
def test_a_batch_line_decides_as_the_reference_written_from_the_spec(f):
    f = requestable(f)
    expected = reference(f, PACKS.packs)
    if "error" in expected:
        expected = {"error": expected["error"]}
    assert answer_as_reference(orjson.loads(batch_line(as_request(f, 1)))) == expected


def test_the_fast_path_answers_nearly_every_line_of_the_benchmark_input():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from bench.gen_lines import line

    rng = random.Random(7)
    lines = [line(i, rng) for i in range(3000)]
    # a repair not made under warranty is refused on the fast path too (an ErrorLine)
    answered = sum(values is not None and FAST.line(obj["id"], values) is not None
                   for obj, values in ((obj, FAST.read(obj, None)) for obj in lines))
    assert answered >= 0.97 * len(lines)


ROG_SYSTEM = {"id": 1, "product_line": "rog-desktop", "manufactured_on": "2024-01-10", "part": "preinstalled-os",
              "purchased_on": "2024-03-01", "sold_in": "CN", "as_of": "2025-06-01"}


@pytest.mark.parametrize("used, eligible", [(None, True), (0, True), (1, False)])
def test_the_fast_path_decides_a_rog_system_fault_with_the_vip_counter_as_the_plain_path(used, eligible):
    data = ROG_SYSTEM if used is None else {**ROG_SYSTEM, "vip_visits_used": used}
    values = FAST.read(data, None)
    answer = FAST.line(1, values)
    assert answer is not None  # the fast path answers it itself
    assert answer == plain_line(data) == batch_line(data)
    assert orjson.loads(answer)["onsite"]["eligible"] is eligible


@pytest.mark.parametrize("used", [-1, 0.5, "0", [0], True, 100, 2**64 - 1])
def test_a_bad_vip_counter_gets_the_same_error_line_from_the_batch_as_from_the_plain_path(used):
    data = {**ROG_SYSTEM, "vip_visits_used": used}
    assert FAST.read(data, None) is None
    assert batch_line(data) == plain_line(data)
    assert orjson.loads(batch_line(data))["error"]["code"] == "invalid-vip-visits-used"

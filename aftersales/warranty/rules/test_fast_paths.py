"""The batch's shortcuts give exactly what the plain paths give.

A batch line is read by a fast path of ``facts_from_mapping`` and written by ``decision_line``
from memoised pieces; its period reason is filled in from a ``Wording``. Each is checked here
against the plain path it stands in for, over generated input, valid and not.
"""

import datetime as dt

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.core.errors import AppError
from aftersales.warranty.rules import explain
from aftersales.warranty.rules.conftest import PACKS
from aftersales.warranty.rules.engine import FACT_FIELDS, decide, decide_values, terms_for
from aftersales.warranty.rules.facts import Facts, Reason, Wording, worded
from aftersales.warranty.rules.intake import DeviceInfo, facts_checked, facts_from_mapping
from aftersales.warranty.rules.output import decision_dict, decision_line, decision_values
from aftersales.warranty.rules.test_decision_properties import LINES

DATES = st.dates(dt.date(2012, 1, 1), dt.date(2026, 12, 31))
ISO = DATES.map(dt.date.isoformat)
# Values a field may carry in a request: well formed, malformed, of the wrong type, unhashable.
ODD = st.sampled_from(["", "xx", "2023-02-30", "2023-1-1", 0, 5, -1, True, False, 1.5, [], [1], {},
                       {"a": 1}, ["liquid-damage", "liquid-damage"], ["scrapped"], [["x"]],
                       {"bright": 1, "dark": 2}, {"bright": True, "dark": 0}, {"bright": 1},
                       {"bright": -1, "dark": 0}, {"bright": 1, "dark": 2, "extra": 3},
                       {"distance_cm": 40, "temperature_c": 22, "lux": 300}, "CN", "US", "HK", "aio", "cpu",
                       "notebook", "battery", "lcd-panel", "liquid-damage"])
FIELDS = {
    "product_line": st.sampled_from(sorted(LINES)),
    "part": st.sampled_from(sorted({p for parts in LINES.values() for p in parts})),
    "manufactured_on": ISO, "as_of": ISO,
    "purchased_on": st.one_of(st.none(), ISO), "registered_on": st.one_of(st.none(), ISO),
    "shipped_on": st.one_of(st.none(), ISO), "last_repair_on": st.one_of(st.none(), ISO),
    "sold_in": st.sampled_from(["CN", "HK", "US", "CA"]),
    "service_in": st.one_of(st.none(), st.just(""), st.sampled_from(["CN", "HK", "US", "CA"])),
    "exclusions": st.one_of(st.none(), st.lists(st.sampled_from(["liquid-damage", "virus", "battery-wear"]),
                                                max_size=3)),
    "lcd_dots": st.one_of(st.none(), st.fixed_dictionaries({"bright": st.integers(0, 6),
                                                            "dark": st.integers(0, 8)})),
    "lcd_inspection": st.one_of(st.none(), st.fixed_dictionaries({
        "distance_cm": st.integers(20, 60), "temperature_c": st.integers(10, 30), "lux": st.integers(100, 600)})),
}
RARE = {"shipped_on", "last_repair_on", "exclusions", "lcd_dots", "lcd_inspection"}
DEVICES = [
    DeviceInfo("AIO00042", "V241", "aio", dt.date(2020, 3, 4), dt.date(2020, 3, 20), "CN"),
    DeviceInfo("NB000007", "X13", "notebook", dt.date(2021, 3, 4), None, "US"),
]


@st.composite
def requests(draw):
    """A request as the batch reads it: mostly well formed, some fields odd or missing."""
    data = {"id": draw(st.integers(0, 9))} if draw(st.booleans()) else {}
    for name, values in FIELDS.items():
        roll = draw(st.integers(0, 24))
        if roll == 0 or name in RARE and roll < 12:
            continue  # missing (the rare fields, often)
        data[name] = draw(ODD) if roll == 1 else draw(values)
    if draw(st.integers(0, 9)) == 0:
        data["note"] = "a field the batch does not read"
    if draw(st.booleans()):  # in another order
        data = dict(sorted(data.items(), reverse=True))
    device = draw(st.sampled_from([None, None, *DEVICES]))
    if device is not None and draw(st.booleans()):
        for name in ("product_line", "sold_in", "manufactured_on", "shipped_on"):
            data.pop(name, None)  # a serial line leaves these to the registry
    return data, device


def outcome(build, data, device):
    try:
        return "facts", build(data, device)
    except AppError as exc:
        return "error", exc.code, exc.field, exc.en, exc.zh


@settings(max_examples=600, deadline=None)
@given(requests())
def test_the_fast_reading_of_a_request_gives_what_the_careful_reading_gives(request):
    data, device = request
    careful = outcome(facts_checked, data, device)
    # twice: the second time, every date in the request has been seen (and parsed) before
    assert outcome(facts_from_mapping, data, device) == careful
    assert outcome(facts_from_mapping, data, device) == careful


@st.composite
def decidable(draw):
    line = draw(st.sampled_from(sorted(LINES)))
    made = draw(DATES)
    purchased = draw(st.one_of(st.none(), st.dates(made, made + dt.timedelta(days=400))))
    start = purchased or made
    as_of = draw(st.dates(start, start + dt.timedelta(days=2500)))
    region = "US" if line == "notebook" else draw(st.sampled_from(["CN", "HK", "MO"]))
    part = draw(st.sampled_from(LINES[line]))
    lcd = part == "lcd-panel" and line == "aio" and draw(st.booleans())
    return Facts(product_line=line, manufactured_on=made, part=part, as_of=as_of, sold_in=region,
                 service_in=draw(st.sampled_from([region, "CN", "US"])), purchased_on=purchased,
                 registered_on=draw(st.one_of(st.none(), st.dates(start, as_of))),
                 last_repair_on=draw(st.one_of(st.none(), st.dates(start, as_of))),
                 lcd_bright=draw(st.integers(0, 6)) if lcd else None, lcd_dark=draw(st.integers(0, 8)) if lcd else None,
                 exclusions=tuple(draw(st.lists(st.sampled_from(["liquid-damage", "virus"]), max_size=1))))


@settings(max_examples=600, deadline=None)
@given(decidable(), st.one_of(st.text(max_size=8), st.integers(-2**63, 2**64 - 1), st.floats(allow_nan=False,
                                                                                          allow_infinity=False),
                              st.none()))
def test_a_batch_line_is_byte_for_byte_the_decision_as_json(f, line_id):
    # ids as the batch reads them: orjson reads a whole number beyond 64 bits as a float
    try:
        d = decide(f, PACKS)
    except AppError:
        return
    values = decide_values(tuple(getattr(f, name) for name in FACT_FIELDS), PACKS)
    assert values == decision_values(d)  # the tuple form is the same decision
    assert decision_line(line_id, values) == orjson.dumps({"id": line_id, **decision_dict(d)})
    for reason in d.reasons:
        assert reason.json == orjson.dumps(reason.as_json)


def test_a_reason_worded_from_blanks_reads_and_compares_like_one_written_out():
    wording = Wording("period-ended", "Covered %s to %s; ended before %s (100%% sure).",
                      "保修期 %s 至 %s，在 %s 之前已结束（百分之百）。")
    days = (dt.date(2021, 1, 31), dt.date(2024, 1, 30), dt.date(2024, 6, 1))
    reason = worded(wording, days, "2.1")
    written = Reason("period-ended", "Covered 2021-01-31 to 2024-01-30; ended before 2024-06-01 (100% sure).",
                     "保修期 2021-01-31 至 2024-01-30，在 2024-06-01 之前已结束（百分之百）。", "2.1")
    assert reason == written and written == reason
    assert (reason.en, reason.zh, reason.clause) == (written.en, written.zh, "2.1")
    assert reason.json == written.json == orjson.dumps(written.as_json)
    assert reason != Reason("period-ended", written.en, written.zh, "2.2")


def test_the_period_reason_says_the_months_and_both_dates_in_each_language():
    what = explain.what_words("aio", "battery", "battery")
    reason = explain.period_of(what, True, 12, dt.date(2023, 5, 1), dt.date(2024, 4, 30), None, "2.1")
    assert reason.code == "in-period"
    assert reason.en == "On your all-in-one PC, the battery is covered for 12 months: 2023-05-01 to 2024-04-30."
    assert "2023-05-01" in reason.zh and "2024-04-30" in reason.zh and "12 个月" in reason.zh


@settings(max_examples=400, deadline=None)
@given(decidable())
def test_the_period_and_on_site_reasons_a_decision_picks_are_the_ones_their_builders_give(f):
    # decide picks the reasons' words from memos held by the terms; the builders are the plain path
    try:
        d = decide(f, PACKS)
    except AppError:
        return
    pack = PACKS.select(f.product_line, f.sold_in, f.as_of)
    terms = terms_for(pack, pack.lines[f.product_line], f.manufactured_on, f.part)
    ended_by = f.as_of if f.as_of > d.ends_on else None
    assert d.reasons[0] == explain.period_of(terms.what, d.covered, d.months, d.starts_on, d.ends_on, ended_by,
                                             terms.window.clause)
    assert d.reasons[1] == explain.basis(d.basis == "invoice", d.starts_on, pack.start_clause)
    assert d.reasons[-1] == explain.onsite(d.onsite_eligible, terms.onsite_months > 0, d.onsite_ends_on,
                                           d.covered, terms.onsite_clause)
    for reason in d.reasons:
        assert reason.json == orjson.dumps(reason.as_json)

"""``aftersales fee-preview``: the batch contract."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.billing.preview import preview_line
from aftersales.core.errors import AppError
from aftersales.policy.pack import parse_pack
from aftersales.policy.testing import POLICY_DIR, SHIPPED
from aftersales.warranty.rules.engine import PackSet

ROOT = Path(__file__).resolve().parents[2]


def run(rows, *args):
    data = "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows).encode()
    return subprocess.run([sys.executable, "-m", "aftersales.cli", "fee-preview", "--input", "-", "--packs",
                           str(POLICY_DIR), "--no-progress", *args], cwd=ROOT, input=data, capture_output=True,
                          timeout=60)


def test_a_priced_line_has_currency_lines_and_a_two_place_total_and_exit_is_zero():
    done = run([{"id": 7, "product_line": "home-desktop", "region": "CN", "in_warranty": False,
                 "work": [{"service": "part-replacement", "part": "hdd", "part_price": "299"},
                          {"service": "os-recovery"}]}])
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "id": 7, "currency": "CNY", "total": "449.00",
        "lines": [{"service": "part-replacement", "part": "hdd", "labour": "50.00", "parts": "299.00"},
                  {"service": "os-recovery", "labour": "100.00", "parts": "0.00"}]}


def test_bad_lines_become_error_lines_in_place_and_exit_is_one():
    done = run([{"id": 1, "product_line": "aio", "region": "CN", "in_warranty": False, "work": [{"service": "x"}]},
                "nonsense",
                {"id": 3, "product_line": "aio", "region": "CN", "in_warranty": "yes", "work": []},
                {"id": 4, "product_line": "aio", "region": "CN", "in_warranty": False, "work": []}])
    assert done.returncode == 1
    out = [json.loads(x) for x in done.stdout.splitlines()]
    assert [o.get("error", {}).get("code") for o in out] == ["unknown-service", "invalid-json", "invalid-request", None]
    assert out[3]["total"] == "100.00"


def test_unreadable_input_exits_two(tmp_path):
    done = subprocess.run([sys.executable, "-m", "aftersales.cli", "fee-preview", "--input", str(tmp_path / "none"),
                           "--packs", str(POLICY_DIR)], cwd=ROOT, capture_output=True, timeout=60)
    assert done.returncode == 2 and done.stdout == b""


def lines_of(done) -> list[dict]:
    return [json.loads(x) for x in done.stdout.splitlines()]


def test_a_work_lines_own_in_warranty_wins_over_the_requests():
    # given an in-warranty job: a covered disk, the customer's own system, and a board marked out of warranty
    done = run([{"id": "mixed", "product_line": "home-desktop", "region": "CN", "in_warranty": True,
                 "work": [{"service": "part-replacement", "part": "hdd", "part_price": "299.00"},
                          {"service": "customer-os-install"},
                          {"service": "part-replacement", "part": "mainboard", "part_price": "900.00",
                           "in_warranty": False}]}])
    # then the disk is free, the install costs 100 and the board 50 + 900
    assert done.returncode == 0, done.stderr
    assert lines_of(done) == [{"id": "mixed", "currency": "CNY", "total": "1050.00", "lines": [
        {"service": "part-replacement", "part": "hdd", "labour": "0.00", "parts": "0.00"},
        {"service": "customer-os-install", "labour": "100.00", "parts": "0.00"},
        {"service": "part-replacement", "part": "mainboard", "labour": "50.00", "parts": "900.00"}]}]


@pytest.mark.parametrize("region", ["HK", "MO", "TW"])
def test_a_region_without_a_published_schedule_gets_no_fee_schedule_never_mainland_prices(region):
    done = run([{"id": 1, "product_line": "home-desktop", "region": region, "in_warranty": False,
                 "work": [{"service": "deep-cleaning"}]}])
    assert done.returncode == 1
    [out] = lines_of(done)
    assert out["error"]["code"] == "no-fee-schedule" and "currency" not in out


HOSTILE = [
    {"id": 1, "product_line": [], "region": "CN", "in_warranty": False, "work": []},
    {"id": 2, "product_line": "aio", "region": {"CN": 1}, "in_warranty": False, "work": []},
    {"id": 3, "product_line": "aio", "region": "CN", "in_warranty": False, "work": [{"service": ["deep-cleaning"]}]},
    {"id": 4, "product_line": "aio", "region": "CN", "in_warranty": False,
     "work": [{"service": "part-replacement", "part": {"x": 1}, "part_price": "1"}]},
    '{"id": 5, "product_line": "aio", "region": "CN", "in_warranty": false, "work": [{"service": "part-replacement", '
    '"part": "ssd", "part_price": 1e26}]}',
    {"id": 6, "product_line": "aio", "region": "CN", "in_warranty": False,
     "work": [{"service": "part-replacement", "part": "ssd", "part_price": "NaN"}]},
    {"id": 7, "product_line": "aio", "region": "CN", "in_warranty": False,
     "work": [{"service": "part-replacement", "part": "ssd", "part_price": "Infinity"}]},
    {"id": 8, "product_line": "aio", "region": "CN", "in_warranty": False,
     "work": [{"service": "part-replacement", "part": "ssd", "part_price": True}]},
    {"id": 9, "product_line": "aio", "region": "CN", "in_warranty": False,
     "work": [{"service": "part-replacement", "part": "ssd", "part_price": []}]},
    {"id": 10, "product_line": "aio", "region": "CN", "in_warranty": False,
     "work": [{"service": "part-replacement", "part": "ssd", "part_price": {}}]},
    {"id": 11, "product_line": "aio", "region": "CN", "in_warranty": False,
     "work": [{"service": "part-replacement", "part": "ssd", "part_price": 1.5}]},
    {"id": 12, "product_line": "aio", "region": "CN", "in_warranty": False,
     "work": [{"service": "part-replacement", "part": "ssd", "part_price": "-1"}]},
    {"id": 13, "product_line": "aio", "region": "CN", "in_warranty": False,
     "work": [{"service": "part-replacement", "part": "ssd", "part_price": "12345678901.00"}]},
    {"id": 14, "product_line": "aio", "region": "CN", "in_warranty": False, "work": [{"service": "deep-cleaning",
                                                                                       "in_warranty": "yes"}]},
    "[" * 5000 + "]" * 5000,
    {"id": {"nested": [1, {"deep": None}]}, "product_line": "aio", "region": "CN", "in_warranty": False, "work": "all"},
    {"id": 17, "product_line": "aio", "region": "CN", "in_warranty": False, "work": [{"service": "deep-cleaning"}]},
]


def test_hostile_lines_each_get_an_error_row_in_place_and_the_batch_goes_on():
    done = run(HOSTILE)
    assert done.returncode == 1, done.stderr
    out = lines_of(done)
    assert len(out) == len(HOSTILE)
    assert [o.get("error", {}).get("code") for o in out] == [
        "unknown-product-line", "unknown-region", "unknown-service", "unknown-part", "invalid-amount",
        "invalid-amount", "invalid-amount", "invalid-amount", "invalid-amount", "invalid-amount", "invalid-amount",
        "negative-amount", "amount-too-large", "invalid-request", "invalid-json", "invalid-id", None]
    assert all(o["error"]["en"] and o["error"]["zh"] for o in out[:-1])
    assert out[15]["id"] is None  # an object is no id to echo back
    assert out[-1] == {"id": 17, "currency": "CNY", "total": "199.00",
                       "lines": [{"service": "deep-cleaning", "labour": "199.00", "parts": "0.00"}]}
    assert b"16 with errors" in done.stderr


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                         max_size=3), max_leaves=12)
fields = st.fixed_dictionaries({}, optional={
    "id": json_values, "product_line": st.sampled_from(["aio", "nuc"]) | json_values,
    "region": st.sampled_from(["CN", "HK"]) | json_values, "in_warranty": st.booleans() | json_values,
    "quotation_rejected": st.booleans() | json_values,
    "work": st.lists(st.fixed_dictionaries({}, optional={
        "service": st.sampled_from(["part-replacement", "deep-cleaning"]) | json_values,
        "part": st.sampled_from(["ssd", "keyboard"]) | json_values,
        "part_price": st.sampled_from(["12.50", "0", "1e3"]) | json_values,
        "in_warranty": st.booleans() | json_values}) | json_values, max_size=3) | json_values})
PACKS = PackSet([parse_pack(text) for text in SHIPPED.values()])


@settings(max_examples=300, deadline=None)
@given(st.one_of(fields, json_values))
def test_any_json_line_is_priced_or_refused_with_a_code_never_anything_else(obj):
    try:
        out = preview_line(obj, PACKS, lambda region: dt.date(2025, 6, 1))
    except AppError as exc:
        assert exc.code and exc.en and exc.zh
    else:
        assert set(out) == {"id", "currency", "lines", "total"}

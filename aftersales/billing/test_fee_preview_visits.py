"""``fee-preview`` with a ``visit``: the trip fee of the desktop terms added to the work, by
worked example at the tiers' edges; a fee left to agreement, or a bad visit, is an error line."""

import json

import pytest

from aftersales.billing.test_fee_preview import run

OS_RECOVERY = {"service": "os-recovery"}  # 100.00 of labour on a home desktop


def line(visit, **fields):
    return {"id": "v", "product_line": "home-desktop", "region": "CN", "in_warranty": False, "work": [OS_RECOVERY],
            "visit": visit} | fields


@pytest.mark.parametrize("visit, trip_fee, total", [
    ({"distance_km": "25", "evening": False}, "100.00", "200.00"),
    ({"distance_km": "40"}, "100.00", "200.00"),
    ({"distance_km": "75", "free_onsite": True}, "0.00", "100.00"),
    ({"distance_km": "10", "evening": True}, "50.00", "150.00"),
    ({"distance_km": "10.01", "evening": True}, "70.00", "170.00"),
    ({"distance_km": "30", "evening": True, "free_onsite": True}, "100.00", "200.00"),
    ({"distance_km": 40, "evening": True, "machines": 3}, "140.00", "240.00"),
])
def test_the_trip_fee_is_added_to_the_work(visit, trip_fee, total):
    done = run([line(visit)])
    assert done.returncode == 0, done.stdout
    out = json.loads(done.stdout)
    assert (out["trip_fee"], out["total"]) == (trip_fee, total)


def test_a_line_without_a_visit_has_no_trip_fee():
    out = json.loads(run([line(None) | {"visit": None}]).stdout)
    assert out["error"]["code"] == "invalid-request"  # a visit, if given, is an object
    plain = {k: v for k, v in line(None).items() if k != "visit"}
    assert "trip_fee" not in json.loads(run([plain]).stdout)


@pytest.mark.parametrize("visit, code", [
    ({"distance_km": "40.01"}, "trip-fee-agreed-by-hand"),
    ({"distance_km": "41", "evening": True}, "trip-fee-agreed-by-hand"),
    ({"distance_km": "-1"}, "distance-negative"),
    ({"distance_km": "1e3"}, "invalid-distance"),
    ({"distance_km": "NaN"}, "invalid-distance"),
    ({"distance_km": 25.5}, "invalid-distance"),
    ({"distance_km": ["25"]}, "invalid-distance"),
    ({"distance_km": "25.005"}, "invalid-distance"),
    ({"distance_km": "99999"}, "invalid-distance"),
    ({}, "invalid-distance"),
    ({"distance_km": "5", "evening": "yes"}, "invalid-request"),
    ({"distance_km": "5", "machines": 0}, "invalid-machines"),
    ({"distance_km": "5", "machines": True}, "invalid-machines"),
    ({"distance_km": "5", "machines": 10**30}, "invalid-machines"),
    ({"distance_km": "5", "speed": "fast"}, "invalid-request"),
    ("25 km", "invalid-request"),
])
def test_a_bad_visit_is_an_error_line_with_its_own_code(visit, code):
    done = run([line(visit), line({"distance_km": "5"}, id="next")])
    first, second = (json.loads(x) for x in done.stdout.splitlines())
    assert first["error"]["code"] == code and first["error"]["zh"]
    assert second["trip_fee"] == "100.00"  # the batch goes on


def test_terms_that_publish_no_visit_fees_say_so():
    import datetime as dt

    from aftersales.billing.preview import preview_line
    from aftersales.core.errors import AppError
    from aftersales.policy.pack import parse_pack
    from aftersales.policy.testing import SHIPPED
    from aftersales.warranty.rules.engine import PackSet

    text = SHIPPED["cn-desktop"]
    start, end = text.index("[visits]"), text.index("[vip]")
    packs = PackSet([parse_pack(text[:start] + text[end:])])
    with pytest.raises(AppError) as refused:
        preview_line(line({"distance_km": "5"}), packs, lambda region: dt.date(2026, 12, 1))
    assert refused.value.code == "no-visit-terms" and "CN" in refused.value.zh

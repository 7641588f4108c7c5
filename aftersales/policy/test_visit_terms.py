"""The [visits] and [vip] sections of a pack: what a pack may say, and what it is refused for."""

import copy
import datetime as dt
from decimal import Decimal

import pytest

from aftersales.onsite.testing import CLAUSES, VIP, VISITS
from aftersales.policy.fees import ScheduleError
from aftersales.policy.visits import parse_vip, parse_visits


def test_the_desktop_visit_figures_read_as_written():
    terms = parse_visits(VISITS, CLAUSES, {"CN": "CNY"})
    assert (terms.free_within_km, terms.day_fee, terms.day_within_km) == (Decimal(80), Decimal("100.00"), Decimal(40))
    assert (terms.evening_from, terms.evening_until) == (dt.time(18), dt.time(21))
    assert [(t.within_km, t.fee) for t in terms.evening_tiers] == [
        (Decimal(10), Decimal("50.00")), (Decimal(20), Decimal("70.00")), (Decimal(30), Decimal("100.00")),
        (Decimal(40), Decimal("140.00"))]
    assert terms.currency == "CNY"


def _with(path, value):
    data = copy.deepcopy(VISITS)
    *head, last = path
    table = data
    for key in head:
        table = table[key]
    table[last] = value
    return data


@pytest.mark.parametrize("path, value, field", [
    (("free_within_km",), 80.0, "visits.free_within_km"),
    (("free_within_km",), "-5", "visits.free_within_km"),
    (("day_within_km",), "NaN", "visits.day_within_km"),
    (("day_fee",), "1e3", "visits.day_fee"),
    (("fee_clause",), "nowhere", "visits.fee_clause"),
    (("evening", "from"), "6pm", "visits.evening.from"),
    (("evening", "until"), "17:00", "visits.evening"),
    (("evening", "fees"), [], "visits.evening.fees"),
    (("evening", "fees"), [{"within_km": "20", "fee": "70.00"}, {"within_km": "10", "fee": "50.00"}],
     "visits.evening.fees"),
])
def test_a_visit_section_with_a_bad_figure_is_refused_naming_the_figure(path, value, field):
    with pytest.raises(ScheduleError) as refused:
        parse_visits(_with(path, value), CLAUSES, {"CN": "CNY"})
    assert refused.value.field == field and refused.value.zh


def test_visit_fees_are_published_for_regions_of_the_pack_sharing_one_currency():
    with pytest.raises(ScheduleError) as refused:
        parse_visits({**VISITS, "regions": ["US", "CA"]}, CLAUSES, {"US": "USD", "CA": "CAD"})
    assert refused.value.field == "visits.regions"
    with pytest.raises(ScheduleError):
        parse_visits({**VISITS, "regions": ["TW"]}, CLAUSES, {"CN": "CNY"})


@pytest.mark.parametrize("key, value", [("lines", ["tablet"]), ("cleaning_visits", -1), ("cleaning_months", "12"),
                                        ("software_visits", True)])
def test_a_vip_section_with_a_bad_entry_is_refused(key, value):
    with pytest.raises(ScheduleError):
        parse_vip({**VIP, key: value}, CLAUSES, {"rog-desktop"})


def test_the_shipped_desktop_terms_carry_the_published_visit_fees_and_vip_list():
    from aftersales.policy.pack import parse_pack
    from aftersales.policy.testing import SHIPPED

    pack = parse_pack(SHIPPED["cn-desktop"])
    assert pack.visits.regions == {"CN"} and pack.visits.currency == "CNY"
    assert (pack.visits.day_fee, pack.visits.day_within_km, pack.visits.free_within_km) == (
        Decimal("100.00"), Decimal(40), Decimal(80))
    assert [t.fee for t in pack.visits.evening_tiers] == [Decimal("50.00"), Decimal("70.00"), Decimal("100.00"),
                                                          Decimal("140.00")]
    assert pack.vip.lines == {"rog-desktop"} and (pack.vip.cleaning_visits, pack.vip.cleaning_months) == (1, 12)
    assert parse_pack(SHIPPED["na-notebook"]).visits is None

"""Free on-site as the warranty decides it: the part most likely behind the customer's symptom,
covered and inside its on-site period."""

import datetime as dt

import pytest

from aftersales.core.errors import AppError
from aftersales.core.testing import shipped_packs_loaded
from aftersales.onsite.eligibility import case_pack, likely_part, onsite_eligible


@pytest.fixture(autouse=True)
def packs(db):
    shipped_packs_loaded()


def test_a_power_fault_of_a_home_desktop_in_its_first_year_is_free_on_site(onsite_case):
    case = onsite_case("HD700001")  # made 2026-01-10, no invoice: the warranty runs from manufacture
    pack = case_pack(case, dt.date(2026, 12, 1))
    part = likely_part(pack, "no-power")
    assert part == "psu"
    assert onsite_eligible(case, part, dt.date(2026, 12, 1))


def test_a_fan_out_of_its_12_month_on_site_period_is_not_free_on_site(onsite_case):
    case = onsite_case("HD700002")
    assert onsite_eligible(case, "fan", dt.date(2027, 1, 9))
    assert not onsite_eligible(case, "fan", dt.date(2027, 1, 10))


def test_a_symptom_the_terms_do_not_list_is_refused(onsite_case):
    pack = case_pack(onsite_case("HD700003"), dt.date(2026, 12, 1))
    with pytest.raises(AppError) as refused:
        likely_part(pack, "smoke")
    assert refused.value.code == "unknown-symptom"

"""Free on-site as the warranty decides it: the part most likely behind the customer's symptom,
covered and inside its on-site period."""

import datetime as dt

import pytest

from aftersales.core.errors import AppError
from aftersales.core.testing import shipped_packs_loaded
from aftersales.onsite.eligibility import case_pack, likely_part, onsite_eligible, visit_purpose
from aftersales.onsite.models import Purpose, VipUsage


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


def test_a_rog_system_fault_is_free_on_site_as_a_software_visit_while_that_visit_is_unused(onsite_case):
    # bought 2026-02-01: the whole unit is in warranty to 2029-01-31
    case = onsite_case("RG700004", "rog-desktop", dt.date(2026, 2, 1))
    assert onsite_eligible(case, "preinstalled-os", dt.date(2026, 12, 1))
    assert visit_purpose(case, "preinstalled-os", dt.date(2026, 12, 1)) == (True, Purpose.SOFTWARE)


def test_a_rog_system_fault_is_not_free_on_site_once_the_device_used_its_software_visit(onsite_case):
    case = onsite_case("RG700005", "rog-desktop", dt.date(2026, 2, 1))
    VipUsage.objects.create(device=case.device, software_visit=1)
    assert not onsite_eligible(case, "preinstalled-os", dt.date(2026, 12, 1))
    assert visit_purpose(case, "preinstalled-os", dt.date(2026, 12, 1)) == (False, Purpose.REPAIR)


def test_a_home_desktop_system_fault_is_never_a_software_visit(onsite_case):
    case = onsite_case("HD700006", "home-desktop", dt.date(2026, 2, 1))
    assert visit_purpose(case, "preinstalled-os", dt.date(2026, 12, 1)) == (False, Purpose.REPAIR)


def test_a_rog_hardware_fault_on_site_is_a_repair_visit(onsite_case):
    case = onsite_case("RG700007", "rog-desktop", dt.date(2026, 2, 1))
    assert visit_purpose(case, "psu", dt.date(2026, 12, 1)) == (True, Purpose.REPAIR)

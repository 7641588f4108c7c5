"""The VIP software on-site visit in the warranty decision, by worked example.

The high-end desktop terms (ROG 台式电脑保修条例, VIP service list, item 3) give a ROG desktop one
software on-site visit within the whole-unit warranty. A ROG desktop made on or after 2019-06-01
has 36 months whole unit and 36 months for the pre-installed system; one made before has 12
months whole unit, while its system still has 36. Bought 2024-03-01, the whole unit runs to
2027-02-28.
"""

import dataclasses

from aftersales.warranty.rules.conftest import PACKS, facts
from aftersales.warranty.rules.engine import decide


def rog_system_fault(*, used: int, made="2024-01-10", purchased="2024-03-01", as_of="2025-06-01", **more):
    f = facts(line="rog-desktop", part="preinstalled-os", made=made, purchased=purchased, as_of=as_of, **more)
    return decide(dataclasses.replace(f, vip_visits_used=used), PACKS)


def test_a_rog_system_fault_with_the_software_visit_unused_is_on_site_eligible_citing_the_vip_list():
    d = rog_system_fault(used=0)
    assert (d.covered, d.onsite_eligible, d.onsite_ends_on.isoformat()) == (True, True, "2027-02-28")
    assert d.reasons[-1].code == "vip-software-visit" and d.reasons[-1].clause == "vip"
    assert d.clauses == ("rog-2019", "start-date", "vip")
    assert d.reasons[-1].en == ("Your VIP service includes one free software on-site visit while the whole unit is "
                                "under warranty, until 2027-02-28. It has not been used yet, so a technician can "
                                "come to you for this operating system fault.")
    assert d.reasons[-1].zh == ("您的 VIP 服务包含整机保修期内 1 次免费软件上门服务，截至 2027-02-28（含）。"
                                "该服务尚未使用，此次操作系统故障可安排工程师上门处理。")


def test_a_rog_system_fault_after_the_software_visit_was_used_is_not_on_site_eligible():
    d = rog_system_fault(used=1)
    assert (d.covered, d.onsite_eligible, d.onsite_ends_on) == (True, False, None)
    assert d.reasons[-1].code == "onsite-not-offered"
    assert d.clauses == ("rog-2019", "start-date", "rog-onsite")


def test_the_software_visit_is_available_on_the_last_day_of_the_whole_unit_warranty():
    assert rog_system_fault(used=0, as_of="2027-02-28").onsite_eligible is True


def test_the_software_visit_ends_with_the_whole_unit_warranty_even_while_the_system_is_covered():
    # made before 2019-06-01: whole unit 12 months (to 2020-04-30), the system 36 months
    d = rog_system_fault(used=0, made="2019-03-01", purchased="2019-05-01", as_of="2019-05-01")
    assert d.onsite_eligible is True and d.onsite_ends_on.isoformat() == "2020-04-30"
    later = rog_system_fault(used=0, made="2019-03-01", purchased="2019-05-01", as_of="2020-05-01")
    assert (later.covered, later.onsite_eligible, later.reasons[-1].code) == (True, False, "onsite-not-offered")


def test_a_rog_system_fault_after_the_whole_unit_warranty_is_not_on_site_eligible():
    d = rog_system_fault(used=0, as_of="2027-03-01")
    assert (d.covered, d.onsite_eligible) == (False, False)


def test_a_rog_system_fault_excluded_on_inspection_is_not_on_site_eligible():
    d = rog_system_fault(used=0, exclusions=("virus",))
    assert (d.covered, d.onsite_eligible) == (False, False)


def test_a_home_desktop_system_fault_gets_no_software_visit():
    f = facts(line="home-desktop", part="preinstalled-os", made="2024-01-10", purchased="2024-03-01",
              as_of="2024-06-01")
    d = decide(dataclasses.replace(f, vip_visits_used=0), PACKS)
    assert (d.covered, d.onsite_eligible, d.reasons[-1].code) == (True, False, "onsite-not-offered")


def test_a_rog_hardware_fault_keeps_its_own_on_site_period_whatever_the_vip_counter_says():
    f = facts(line="rog-desktop", part="cpu", made="2024-01-10", purchased="2024-03-01", as_of="2025-06-01")
    d = decide(dataclasses.replace(f, vip_visits_used=1), PACKS)
    assert (d.onsite_eligible, d.reasons[-1].code, d.onsite_ends_on.isoformat()) == (
        True, "onsite-available", "2027-02-28")

"""The warranty decision kept on a case at diagnosis counts the device's VIP software visit: a
ROG desktop's system fault is on-site eligible while that visit is unused, not once it is used."""

import datetime as dt

import pytest

from aftersales.core.testing import shipped_packs_loaded
from aftersales.onsite.fixtures import NOW
from aftersales.onsite.models import VipUsage
from aftersales.repairs.diagnosis import part_decide
from aftersales.repairs.services import case_move

LATER = NOW + dt.timedelta(hours=1)


@pytest.fixture
def diagnosing_rog(onsite_case, staff):
    shipped_packs_loaded()
    # made 2026-01-10, bought 2026-02-01: the whole unit is in warranty to 2029-01-31
    case = onsite_case("RG800001", "rog-desktop", dt.date(2026, 2, 1))
    for status in ("received", "diagnosing"):
        case_move(number=case.number, to=status, actor=staff, now=NOW)
    return case


def test_a_rog_system_fault_is_decided_on_site_eligible_while_the_software_visit_is_unused(diagnosing_rog, staff):
    row = part_decide(number=diagnosing_rog.number, part="preinstalled-os", actor=staff, now=LATER)
    assert row.decision["onsite"] == {"eligible": True, "ends_on": "2029-01-31"}
    assert row.decision["reasons"][-1]["code"] == "vip-software-visit" and "vip" in row.decision["clauses"]


def test_a_rog_system_fault_is_not_on_site_eligible_once_the_software_visit_is_used(diagnosing_rog, staff):
    VipUsage.objects.create(device=diagnosing_rog.device, software_visit=1)
    row = part_decide(number=diagnosing_rog.number, part="preinstalled-os", actor=staff, now=LATER)
    assert row.decision["onsite"] == {"eligible": False, "ends_on": None}

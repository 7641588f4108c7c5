"""A part replaced under warranty in an earlier case of the same device extends that part's cover
(the desktop terms' post-repair rule): the case's warranty decision reads the device's history."""

import datetime as dt

import pytest

from aftersales.core.testing import shipped_packs_loaded
from aftersales.repairs.conftest import intake
from aftersales.repairs.diagnosis import part_decide
from aftersales.repairs.models import PartUsage
from aftersales.repairs.services import case_book, case_move

# The home desktop HD000123 was made on 2024-01-10 and has no invoice on record: its power supply
# (36 months) is covered through 2027-01-09.
REPAIRED = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)  # 11:00 in Shanghai, 2026-12-01


@pytest.fixture(autouse=True)
def packs(db):
    shipped_packs_loaded()


def case_on(day: dt.datetime, staff):
    case = case_book(intake=intake(), actor=None, now=day)
    case_move(number=case.number, to="received", actor=staff, now=day)
    case_move(number=case.number, to="diagnosing", actor=staff, now=day)
    return case


def test_a_power_supply_replaced_under_warranty_stays_covered_three_months_from_that_repair(centre, device, staff):
    earlier = case_on(REPAIRED, staff)
    PartUsage.objects.create(case=earlier, part="psu", covered=True, fitted_by=staff, fitted_at=REPAIRED)
    # 2027-02-28 is the last day of the 3 months from 2026-12-01
    later = case_on(dt.datetime(2027, 2, 28, 3, 0, tzinfo=dt.UTC), staff)
    decided = part_decide(number=later.number, part="psu", actor=staff, now=dt.datetime(2027, 2, 28, 3, 0,
                                                                                         tzinfo=dt.UTC))
    assert decided.covered is True


def test_the_extension_ends_after_three_months(centre, device, staff):
    earlier = case_on(REPAIRED, staff)
    PartUsage.objects.create(case=earlier, part="psu", covered=True, fitted_by=staff, fitted_at=REPAIRED)
    after = dt.datetime(2027, 3, 1, 3, 0, tzinfo=dt.UTC)
    assert part_decide(number=case_on(after, staff).number, part="psu", actor=staff, now=after).covered is False


def test_a_paid_replacement_extends_nothing(centre, device, staff):
    earlier = case_on(REPAIRED, staff)
    PartUsage.objects.create(case=earlier, part="psu", covered=False, fitted_by=staff, fitted_at=REPAIRED)
    later = dt.datetime(2027, 2, 1, 3, 0, tzinfo=dt.UTC)
    assert part_decide(number=case_on(later, staff).number, part="psu", actor=staff, now=later).covered is False


def test_a_repair_of_another_part_extends_nothing_for_this_one(centre, device, staff):
    earlier = case_on(REPAIRED, staff)
    PartUsage.objects.create(case=earlier, part="fan", covered=True, fitted_by=staff, fitted_at=REPAIRED)
    later = dt.datetime(2027, 2, 1, 3, 0, tzinfo=dt.UTC)
    assert part_decide(number=case_on(later, staff).number, part="psu", actor=staff, now=later).covered is False

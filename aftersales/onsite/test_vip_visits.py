"""VIP visits: the high-end desktop's one cleaning in its first year and one software visit
within the whole-unit warranty, counted per device, free by day, given back when cancelled."""

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.core.errors import AppError
from aftersales.onsite.conftest import TUESDAY, shanghai
from aftersales.onsite.entitlements import device_entitlements
from aftersales.onsite.models import Purpose, VipUsage
from aftersales.onsite.test_visits import NEAR
from aftersales.onsite.visits import visit_book, visit_cancel
from aftersales.repairs.models import Case

BOUGHT = dt.date(2026, 2, 1)


def vip_book(case, tech, pack, staff, purpose, at):
    return visit_book(numbers=[case.number], technician=tech.pk, starts_at=at, evening=False, site=NEAR, pack=pack,
                      onsite_eligible={}, actor=staff, now=shanghai(TUESDAY, 8), purpose=purpose)


def test_a_high_end_desktop_has_a_cleaning_for_its_first_year_and_a_software_visit_for_its_warranty(
        onsite_case, desktop_pack):
    case = onsite_case("RG600001", "rog-desktop", BOUGHT)
    cleaning, software = device_entitlements(case.device, case.purchased_on, desktop_pack)
    assert (cleaning.until, cleaning.remaining) == (dt.date(2027, 1, 31), 1)
    # made 2026-01-10, so the 36-month whole-unit period of the June-2019-onwards terms
    assert (software.until, software.remaining) == (dt.date(2029, 1, 31), 1)


def test_a_home_desktop_has_no_vip_entitlements(onsite_case, desktop_pack):
    case = onsite_case("HD600002")
    assert device_entitlements(case.device, None, desktop_pack) == ()


def test_the_cleaning_visit_is_free_and_used_once(onsite_case, tech, desktop_pack, staff):
    case = onsite_case("RG600003", "rog-desktop", BOUGHT)
    visit = vip_book(case, tech, desktop_pack, staff, Purpose.CLEANING, shanghai(TUESDAY, 9))
    assert visit.trip_fee == Decimal("0.00") and visit.free_onsite
    assert VipUsage.objects.get(device=case.device).cleaning == 1
    again = onsite_case("RG600004", "rog-desktop", BOUGHT)
    again.device = case.device
    Case.objects.filter(pk=again.pk).update(device=case.device)
    with pytest.raises(AppError) as refused:
        vip_book(again, tech, desktop_pack, staff, Purpose.CLEANING, shanghai(TUESDAY, 14))
    assert refused.value.code == "entitlement-used" and "已经使用过" in refused.value.zh


def test_a_cancelled_vip_visit_gives_its_use_back(onsite_case, tech, desktop_pack, staff):
    case = onsite_case("RG600005", "rog-desktop", BOUGHT)
    visit = vip_book(case, tech, desktop_pack, staff, Purpose.SOFTWARE, shanghai(TUESDAY, 9))
    assert VipUsage.objects.get(device=case.device).software_visit == 1
    visit_cancel(public_id=visit.public_id, reason="", actor=staff, now=shanghai(TUESDAY, 8))
    assert VipUsage.objects.get(device=case.device).software_visit == 0


def test_a_cleaning_asked_for_after_the_first_year_is_refused_and_nothing_is_booked(onsite_case, tech, desktop_pack,
                                                                                   staff):
    case = onsite_case("RG600006", "rog-desktop", dt.date(2025, 11, 1), made_on=dt.date(2025, 9, 1))
    # the first year ended on 2026-10-31
    with pytest.raises(AppError) as refused:
        vip_book(case, tech, desktop_pack, staff, Purpose.CLEANING, shanghai(TUESDAY, 9))
    assert refused.value.code == "entitlement-expired"
    assert not case.visit_lines.exists() and not VipUsage.objects.filter(cleaning__gt=0).exists()


def test_a_home_desktop_cannot_book_a_vip_visit(onsite_case, tech, desktop_pack, staff):
    with pytest.raises(AppError) as refused:
        vip_book(onsite_case("HD600007"), tech, desktop_pack, staff, Purpose.CLEANING, shanghai(TUESDAY, 9))
    assert refused.value.code == "not-a-vip-device"

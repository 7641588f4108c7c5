"""Booking, moving and cancelling visits: the slot must be free, the trip fee follows the terms,
and every case's timeline says what happened."""

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.core.errors import AppError
from aftersales.core.testing import role_user
from aftersales.onsite.fixtures import TUESDAY, shanghai, technician_with_hours
from aftersales.onsite.models import Visit, VisitStatus
from aftersales.onsite.visits import Site, visit_book, visit_cancel, visit_move
from aftersales.repairs.models import EventKind

# 2 km north of the centre, in Shanghai: inside 40 km of the centre and 80 km of a city.
NEAR = Site("1 Huashan Road, Shanghai", "31.206", "121.437")
# Out at sea, 170 km east of the nearest city: far from everything.
FAR = Site("Offshore platform", "31.20", "123.25")


def book(case_numbers, tech, at, pack, staff, *, evening=False, site=NEAR, eligible=True, now=None):
    return visit_book(numbers=case_numbers, technician=tech.pk, starts_at=at, evening=evening, site=site,
                      pack=pack, onsite_eligible={n: eligible for n in case_numbers}, actor=staff,
                      now=now or shanghai(TUESDAY, 8))


def test_a_free_on_site_visit_by_day_costs_nothing_and_is_on_the_case_timeline(onsite_case, tech, desktop_pack, staff):
    case = onsite_case("HD100001")
    visit = book([case.number], tech, shanghai(TUESDAY, 9), desktop_pack, staff)
    assert visit.free_onsite and visit.trip_fee == Decimal("0.00") and not visit.evening
    assert visit.city.code == "cn-shanghai" and Decimal("3") < visit.km_to_city < Decimal("7")
    assert visit.arrives_by == shanghai(TUESDAY, 10) and visit.blocked_until == shanghai(TUESDAY, 11, 30)
    line = case.events.get(kind=EventKind.VISIT)
    assert "arriving between 09:00 and 10:00" in line.summary_en
    assert "2026年12月1日（周二）09:00–10:00 到达" in line.summary_zh


def test_a_fault_not_free_on_site_pays_the_day_fee_near_the_centre(onsite_case, tech, desktop_pack, staff):
    case = onsite_case("HD100002")
    visit = book([case.number], tech, shanghai(TUESDAY, 13), desktop_pack, staff, eligible=False)
    assert not visit.free_onsite and visit.trip_fee == Decimal("100.00") and visit.currency == "CNY"


def test_a_site_far_from_every_city_waits_for_a_person_to_agree_the_fee(onsite_case, tech, desktop_pack, staff):
    case = onsite_case("HD100003")
    visit = book([case.number], tech, shanghai(TUESDAY, 9), desktop_pack, staff, site=FAR)
    assert not visit.free_onsite and visit.trip_fee is None
    assert "agrees the trip fee" in visit.fee_explanation["en"]


def test_an_evening_visit_pays_by_distance_even_when_free_by_day(onsite_case, tech, desktop_pack, staff):
    case = onsite_case("HD100004")
    visit = book([case.number], tech, shanghai(TUESDAY, 18), desktop_pack, staff, evening=True)
    assert visit.free_onsite and visit.evening and visit.trip_fee == Decimal("50.00")


def test_two_machines_at_one_site_make_one_visit_with_one_fee(onsite_case, tech, desktop_pack, staff):
    a, b = onsite_case("HD100005"), onsite_case("HD100006")
    visit = book([a.number, b.number], tech, shanghai(TUESDAY, 18, 30), desktop_pack, staff, evening=True)
    assert visit.lines.count() == 2 and visit.trip_fee == Decimal("50.00")
    assert a.events.filter(kind=EventKind.VISIT).count() == b.events.filter(kind=EventKind.VISIT).count() == 1


def test_a_technician_already_booked_is_not_booked_again_at_an_overlapping_time(onsite_case, tech, desktop_pack,
                                                                                staff):
    first, second = onsite_case("HD100007"), onsite_case("HD100008")
    book([first.number], tech, shanghai(TUESDAY, 9), desktop_pack, staff)
    for start in (shanghai(TUESDAY, 9), shanghai(TUESDAY, 10), shanghai(TUESDAY, 11)):
        with pytest.raises(AppError) as taken:
            book([second.number], tech, start, desktop_pack, staff)
        assert taken.value.code == "slot-taken" and taken.value.status == 409
    later = book([second.number], tech, shanghai(TUESDAY, 11, 30), desktop_pack, staff)
    assert later.starts_at == shanghai(TUESDAY, 11, 30)


@pytest.mark.parametrize("hh, mm, evening", [(17, 30, False), (16, 0, False), (21, 0, True), (8, 0, False),
                                             (9, 15, False), (18, 0, False)])
def test_a_start_outside_the_offered_slots_is_refused(onsite_case, tech, desktop_pack, staff, hh, mm, evening):
    case = onsite_case("HD100009")
    with pytest.raises(AppError) as refused:
        book([case.number], tech, shanghai(TUESDAY, hh, mm), desktop_pack, staff, evening=evening)
    assert refused.value.code in {"slot-taken", "slot-not-offered"}
    assert not Visit.objects.exists()


def test_a_case_with_a_visit_booked_gets_no_second_one(onsite_case, tech, desktop_pack, staff):
    case = onsite_case("HD100010")
    book([case.number], tech, shanghai(TUESDAY, 9), desktop_pack, staff)
    with pytest.raises(AppError) as refused:
        book([case.number], tech, shanghai(TUESDAY, 14), desktop_pack, staff)
    assert refused.value.code == "case-has-a-visit"


def test_a_carry_in_case_is_not_given_a_visit(centre, tech, desktop_pack, staff):
    from aftersales.core.testing import device_made
    from aftersales.repairs.services import Intake, case_book

    device_made("HD100011", "home-desktop", dt.date(2026, 1, 10), "CN")
    case = case_book(intake=Intake(centre="sh-01", kind="carry-in", customer_name="Li Lei", email="l@example.com",
                                   phone="13800000000", serial="HD100011", symptoms=["Noisy"], ack_data_loss=True,
                                   ack_passwords=True, ack_peripherals=True), actor=None, now=shanghai(TUESDAY, 8))
    with pytest.raises(AppError) as refused:
        book([case.number], tech, shanghai(TUESDAY, 9), desktop_pack, staff)
    assert refused.value.code == "case-not-for-a-visit"


def test_rescheduling_frees_the_old_time_and_says_so_on_the_timeline(onsite_case, tech, desktop_pack, staff):
    case, other = onsite_case("HD100012"), onsite_case("HD100013")
    visit = book([case.number], tech, shanghai(TUESDAY, 9), desktop_pack, staff)
    moved = visit_move(public_id=visit.public_id, technician=tech.pk, starts_at=shanghai(TUESDAY, 10),
                       evening=False, pack=desktop_pack, actor=staff, now=shanghai(TUESDAY, 8))
    assert moved.starts_at == shanghai(TUESDAY, 10)  # overlapping its own old time is fine
    assert book([other.number], tech, shanghai(TUESDAY, 12, 30), desktop_pack, staff)
    last = case.events.filter(kind=EventKind.VISIT).last()
    assert "moved from" in last.summary_en and "改约" in last.summary_zh


def test_moving_a_visit_to_the_evening_makes_it_paid(onsite_case, tech, desktop_pack, staff):
    case = onsite_case("HD100014")
    visit = book([case.number], tech, shanghai(TUESDAY, 9), desktop_pack, staff)
    moved = visit_move(public_id=visit.public_id, technician=tech.pk, starts_at=shanghai(TUESDAY, 19),
                       evening=True, pack=desktop_pack, actor=staff, now=shanghai(TUESDAY, 8))
    assert moved.trip_fee == Decimal("50.00") and moved.evening


def test_reassigning_to_a_colleague_keeps_the_time(onsite_case, tech, centre, desktop_pack, staff):
    colleague = technician_with_hours(centre, "li-ming")
    case = onsite_case("HD100015")
    visit = book([case.number], tech, shanghai(TUESDAY, 9), desktop_pack, staff)
    moved = visit_move(public_id=visit.public_id, technician=colleague.pk, starts_at=visit.starts_at,
                       evening=False, pack=desktop_pack, actor=staff, now=shanghai(TUESDAY, 8))
    assert moved.technician_id == colleague.pk
    assert "Another technician" in case.events.filter(kind=EventKind.VISIT).last().summary_en


def test_a_cancelled_visit_frees_its_slot(onsite_case, tech, desktop_pack, staff):
    case, other = onsite_case("HD100016"), onsite_case("HD100017")
    visit = book([case.number], tech, shanghai(TUESDAY, 9), desktop_pack, staff)
    visit_cancel(public_id=visit.public_id, reason="Customer away", actor=staff, now=shanghai(TUESDAY, 8))
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.CANCELLED
    assert book([other.number], tech, shanghai(TUESDAY, 9), desktop_pack, staff)
    with pytest.raises(AppError) as refused:
        visit_cancel(public_id=visit.public_id, reason="", actor=staff, now=shanghai(TUESDAY, 8))
    assert refused.value.code == "visit-not-movable"


def test_no_visit_on_a_public_holiday(onsite_case, tech, desktop_pack, staff):
    case = onsite_case("HD100018")
    with pytest.raises(AppError) as refused:
        book([case.number], tech, shanghai(dt.date(2027, 1, 1), 9), desktop_pack, staff)  # New Year's Day
    assert refused.value.code == "slot-not-offered"


def test_a_visit_booked_without_naming_a_technician_goes_to_whoever_is_free(onsite_case, tech, centre, desktop_pack,
                                                                          staff):
    colleague = technician_with_hours(centre, "li-ming")
    book([onsite_case("HD100019").number], tech, shanghai(TUESDAY, 9), desktop_pack, staff)
    visit = visit_book(numbers=[onsite_case("HD100020").number], technician=None, starts_at=shanghai(TUESDAY, 9),
                       evening=False, site=NEAR, pack=desktop_pack, onsite_eligible={}, actor=None,
                       now=shanghai(TUESDAY, 8))
    assert visit.technician_id == colleague.pk
    with pytest.raises(AppError) as taken:
        visit_book(numbers=[onsite_case("HD100021").number], technician=None, starts_at=shanghai(TUESDAY, 9),
                   evening=False, site=NEAR, pack=desktop_pack, onsite_eligible={}, actor=None,
                   now=shanghai(TUESDAY, 8))
    assert taken.value.code == "slot-taken"


def test_a_customer_moving_a_visit_keeps_the_technician_when_free_and_cannot_choose_another(
        onsite_case, tech, centre, desktop_pack, staff):
    colleague = technician_with_hours(centre, "li-ming")
    visit = book([onsite_case("HD100022").number], tech, shanghai(TUESDAY, 9), desktop_pack, staff)
    moved = visit_move(public_id=visit.public_id, technician=None, starts_at=shanghai(TUESDAY, 14), evening=False,
                       pack=desktop_pack, actor=None, now=shanghai(TUESDAY, 8))
    assert moved.technician_id == tech.pk
    from aftersales.core.errors import Forbidden

    with pytest.raises(Forbidden):
        visit_move(public_id=visit.public_id, technician=colleague.pk, starts_at=shanghai(TUESDAY, 14),
                   evening=False, pack=desktop_pack, actor=None, now=shanghai(TUESDAY, 8))


def test_a_time_already_past_is_not_booked(onsite_case, tech, desktop_pack, staff):
    with pytest.raises(AppError) as refused:
        book([onsite_case("HD100023").number], tech, shanghai(TUESDAY, 9), desktop_pack, staff,
             now=shanghai(TUESDAY, 9, 1))
    assert refused.value.code == "slot-in-the-past"


@pytest.mark.parametrize("km", [Decimal("-1"), Decimal("NaN"), Decimal("20000.01"), "12"])
def test_a_measured_distance_out_of_range_is_refused(onsite_case, tech, desktop_pack, staff, km):
    site = Site("1 Huashan Road", "31.206", "121.437", measured_km=km)
    with pytest.raises(AppError) as refused:
        book([onsite_case("HD100024").number], tech, shanghai(TUESDAY, 9), desktop_pack, staff, site=site)
    assert refused.value.code == "invalid-distance"
    assert not Visit.objects.exists()


def test_a_measured_distance_wins_over_the_straight_line(onsite_case, tech, desktop_pack, staff):
    site = Site("1 Huashan Road", "31.206", "121.437", measured_km=Decimal("42.5"))
    visit = book([onsite_case("HD100025").number], tech, shanghai(TUESDAY, 9), desktop_pack, staff, site=site,
                 eligible=False)
    assert visit.km_measured and visit.km_from_centre == Decimal("42.50") and visit.trip_fee is None


@pytest.mark.parametrize("role", ["verifier", "auditor", "exec-care", "technician"])
def test_on_the_staff_side_only_those_who_manage_visits_move_or_cancel_one(onsite_case, tech, centre, desktop_pack,
                                                                            staff, role):
    visit = book([onsite_case("HD100018").number], tech, shanghai(TUESDAY, 9), desktop_pack, staff)
    other = role_user(role, username=f"other-{role}", centres=[centre])
    for attempt in (lambda: visit_move(public_id=visit.public_id, technician=None, starts_at=shanghai(TUESDAY, 13),
                                       evening=False, pack=desktop_pack, actor=other, now=shanghai(TUESDAY, 8)),
                    lambda: visit_cancel(public_id=visit.public_id, reason="No", actor=other,
                                         now=shanghai(TUESDAY, 8))):
        with pytest.raises(AppError) as refused:
            attempt()
        assert refused.value.code == "forbidden"
    assert Visit.objects.get(pk=visit.pk).starts_at == shanghai(TUESDAY, 9)
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.BOOKED

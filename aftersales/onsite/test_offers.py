"""The times offered to a customer: free, on the right side of the evening, with notice."""

import datetime as dt
import gc

from aftersales.onsite.fixtures import NOW, TUESDAY, shanghai, technician_with_hours
from aftersales.onsite.offers import slots_offered
from aftersales.onsite.test_visits import book


def test_day_slots_start_on_the_half_hour_and_fit_before_the_day_ends(centre, tech, visit_terms):
    offered = slots_offered(centre, visit_terms, now=NOW, days=1, evening=False, first=TUESDAY)
    starts = [o.local_start.strftime("%H:%M") for o in offered]
    assert starts == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00", "12:30", "13:00", "13:30",
                      "14:00", "14:30", "15:00"]
    assert offered[0].local_arrival_by.strftime("%H:%M") == "10:00"
    assert all(o.technicians == (tech.pk,) for o in offered)


def test_evening_slots_are_offered_apart(centre, tech, visit_terms):
    offered = slots_offered(centre, visit_terms, now=NOW, days=1, evening=True, first=TUESDAY)
    assert [o.local_start.strftime("%H:%M") for o in offered] == ["18:00", "18:30", "19:00"]


def test_a_booked_technician_is_offered_around_their_visit(onsite_case, centre, tech, visit_terms, desktop_pack,
                                                          staff):
    book([onsite_case("HD500001").number], tech, shanghai(TUESDAY, 12), desktop_pack, staff)
    starts = [o.local_start.strftime("%H:%M")
              for o in slots_offered(centre, visit_terms, now=NOW, days=1, evening=False, first=TUESDAY)]
    # 09:30 runs to 11:30 and its travel to 12:00; the visit at 12:00 blocks its technician to 14:30
    assert starts == ["09:00", "09:30", "14:30", "15:00"]


def test_a_time_one_colleague_has_free_is_still_offered(onsite_case, centre, tech, visit_terms, desktop_pack, staff):
    colleague = technician_with_hours(centre, "li-ming")
    book([onsite_case("HD500002").number], tech, shanghai(TUESDAY, 11), desktop_pack, staff)
    at_eleven = [o for o in slots_offered(centre, visit_terms, now=NOW, days=1, evening=False, first=TUESDAY)
                 if o.local_start.hour == 11 and o.local_start.minute == 0]
    assert [o.technicians for o in at_eleven] == [(colleague.pk,)]


def test_nothing_sooner_than_two_hours_from_now_is_offered(centre, tech, visit_terms):
    now = shanghai(TUESDAY, 10, 15)
    offered = slots_offered(centre, visit_terms, now=now, days=1, evening=False)
    assert offered[0].local_start.strftime("%H:%M") == "12:30"
    assert slots_offered(centre, visit_terms, now=now, days=2, evening=False)[-1].local_start.date() == \
        TUESDAY + dt.timedelta(days=1)


def test_offering_times_leaves_nothing_for_the_cycle_collector_and_leaves_it_running(onsite_case, centre, tech,
                                                                                     visit_terms, desktop_pack, staff):
    # given a booked technician and a month to offer (the collector is paused while offering)
    book([onsite_case("HD500003").number], tech, shanghai(TUESDAY, 12), desktop_pack, staff)
    slots_offered(centre, visit_terms, now=NOW, days=30, evening=False)  # first queries compiled, caches filled
    gc.collect()
    # when times are offered
    offered = slots_offered(centre, visit_terms, now=NOW, days=30, evening=False)
    # then all it made was freed as it went, and the collector runs again afterwards
    assert offered and gc.collect() == 0
    assert gc.isenabled()


def test_offering_times_leaves_a_collector_paused_by_its_caller_paused(centre, tech, visit_terms):
    gc.disable()
    try:
        slots_offered(centre, visit_terms, now=NOW, days=1, evening=False, first=TUESDAY)
        assert not gc.isenabled()
    finally:
        gc.enable()

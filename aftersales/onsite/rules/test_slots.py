"""The slot finder, by example and against a minute-by-minute check of random calendars."""

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.onsite.rules.slots import Calendar, day_hours, free_slots, minute, subtract

SHANGHAI = ZoneInfo("Asia/Shanghai")
TORONTO = ZoneInfo("America/Toronto")
HOUR = 60


def local(day, hh, mm=0, tz=SHANGHAI):
    return minute(dt.datetime.combine(day, dt.time(hh, mm), tz))


DAY = dt.date(2026, 12, 1)


def test_a_free_technician_offers_every_hour_the_visit_fits_in_their_day():
    working = day_hours(DAY, [(dt.time(9), dt.time(12)), (dt.time(13), dt.time(18))], SHANGHAI)
    slots = free_slots([Calendar(7, tuple(working), ())], duration=2 * HOUR, travel=30, step=HOUR)
    assert [s.start for s in slots] == [local(DAY, 9), local(DAY, 10), local(DAY, 13), local(DAY, 14),
                                        local(DAY, 15), local(DAY, 16)]
    assert all(s.technicians == (7,) for s in slots)


def test_a_booking_blocks_its_visit_and_the_travel_after_it():
    working = day_hours(DAY, [(dt.time(9), dt.time(18))], SHANGHAI)
    booked = ((local(DAY, 11), local(DAY, 13, 30)),)  # a 2-hour visit at 11:00 plus 30 minutes' travel
    slots = free_slots([Calendar(7, tuple(working), booked)], duration=2 * HOUR, travel=30, step=30)
    starts = [s.start for s in slots]
    # 09:00 would run to 11:00 and travel to 11:30: blocked. 08:30 is before the day starts.
    assert local(DAY, 9) not in starts and local(DAY, 8, 30) not in starts
    assert local(DAY, 13, 30) in starts and local(DAY, 13) not in starts


def test_an_absence_takes_its_hours_out_of_the_day():
    working = subtract(day_hours(DAY, [(dt.time(9), dt.time(18))], SHANGHAI), [(local(DAY, 10), local(DAY, 16))])
    slots = free_slots([Calendar(7, tuple(working), ())], duration=HOUR, travel=0, step=HOUR)
    assert [s.start for s in slots] == [local(DAY, 9), local(DAY, 16), local(DAY, 17)]


def test_two_technicians_free_at_the_same_time_are_one_slot_naming_both():
    working = tuple(day_hours(DAY, [(dt.time(9), dt.time(11))], SHANGHAI))
    slots = free_slots([Calendar(2, working, ()), Calendar(1, working, ())], duration=2 * HOUR,
                       travel=0, step=HOUR)
    assert [(s.start, s.technicians) for s in slots] == [(local(DAY, 9), (1, 2))]


def test_working_hours_on_the_day_clocks_go_forward_are_placed_in_real_time():
    spring = dt.date(2026, 3, 8)  # Toronto: 02:00 EST becomes 03:00 EDT
    (start, end), = day_hours(spring, [(dt.time(0), dt.time(6))], TORONTO)
    assert end - start == 5 * HOUR
    assert start == minute(dt.datetime(2026, 3, 8, 5, tzinfo=dt.UTC))


# --- property: the finder agrees with a minute-by-minute check -----------------------------

BASE = minute(dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
SPAN_MINUTES = 24 * 60


def _span(a, length):
    return (BASE + a, BASE + a + length)


spans = st.lists(st.tuples(st.integers(0, SPAN_MINUTES), st.integers(1, 600)), max_size=5)


def brute_force(calendars, duration, travel, step):
    """Every grid minute; a technician fits when each minute of the visit is worked and no
    minute of the visit and its travel is booked."""
    def covered(minute, spans):
        return any(a <= minute < b for a, b in spans)

    found = {}
    for m in range(-SPAN_MINUTES, 3 * SPAN_MINUTES, step):
        at = BASE + m
        for cal in calendars:
            worked = all(covered(at + i, cal.working) for i in range(duration))
            clear = not any(covered(at + i, cal.blocked) for i in range(duration + travel))
            if worked and clear:
                found.setdefault(at, set()).add(cal.technician)
    return sorted((at, tuple(sorted(t))) for at, t in found.items())


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.tuples(spans, spans, spans), min_size=1, max_size=3),
       st.sampled_from([15, 30, 45, 60, 90, 120]), st.sampled_from([0, 10, 30, 60]), st.sampled_from([15, 30, 60]))
def test_the_slot_finder_agrees_with_a_minute_by_minute_check(people, duration, travel, step):
    calendars = []
    for n, (working, absences, booked) in enumerate(people, start=1):
        worked = subtract([_span(a, n_) for a, n_ in working], [_span(a, n_) for a, n_ in absences])
        calendars.append(Calendar(n, tuple(worked), tuple(_span(a, n_) for a, n_ in booked)))
    fast = [(s.start, s.technicians) for s in free_slots(calendars, duration=duration, travel=travel, step=step)]
    assert fast == brute_force(calendars, duration, travel, step)

"""The clock's arithmetic on cases worked out by hand (the oracle test covers the rest)."""

from __future__ import annotations

import datetime as dt

from aftersales.sla.rules.calendars import Calendar
from aftersales.sla.rules.clock import consumed_at, deadline, paused, rebudgeted, resumed, started

UTC = dt.timezone.utc
HOUR = 3600
DAY = 24 * HOUR
WEEKDAYS = frozenset(range(5))
TORONTO_OFFICE = Calendar("America/Toronto", ((9 * 60, 17 * 60),), WEEKDAYS)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def test_opening_hours_stay_local_across_the_spring_change():
    # given two office hours left at 16:00 EST on Friday 7 March 2025; clocks go forward on Sunday
    clock = started(2 * HOUR, utc(2025, 3, 7, 21, 0))
    # then one hour is used on Friday and the other from 09:00 EDT on Monday: due 10:00 EDT (14:00 UTC)
    assert deadline(clock, TORONTO_OFFICE) == utc(2025, 3, 10, 14, 0)


def test_a_week_of_calendar_days_is_168_hours_when_the_clocks_go_back():
    clock = started(7 * DAY, utc(2025, 10, 27, 14, 0))  # 10:00 EDT
    assert deadline(clock, Calendar.always()) == utc(2025, 11, 3, 14, 0)  # 09:00 EST


def test_pausing_keeps_what_was_consumed_and_the_rest_runs_from_the_resumption():
    # given a working day's budget started at 09:00 EDT on Monday 2 June 2025
    clock = started(8 * HOUR, utc(2025, 6, 2, 13, 0))
    # when it is paused at 11:00 and resumed at 15:00 on Wednesday
    clock = paused(clock, TORONTO_OFFICE, utc(2025, 6, 2, 15, 0))
    assert consumed_at(clock, TORONTO_OFFICE, utc(2025, 6, 4, 18, 0)) == 2 * HOUR
    assert deadline(clock, TORONTO_OFFICE) is None
    clock = resumed(clock, utc(2025, 6, 4, 19, 0))
    # then six hours are left: two on Wednesday, four on Thursday morning, due 13:00 EDT Thursday
    assert deadline(clock, TORONTO_OFFICE) == utc(2025, 6, 5, 17, 0)


def test_a_public_holiday_does_not_count():
    office = Calendar("America/Toronto", ((9 * 60, 17 * 60),), WEEKDAYS, days_off={dt.date(2025, 7, 1)})
    clock = started(2 * HOUR, utc(2025, 6, 30, 20, 0))  # 16:00 EDT Monday, Canada Day on Tuesday
    assert deadline(clock, office) == utc(2025, 7, 2, 14, 0)  # 10:00 EDT Wednesday


def test_a_weekend_made_a_working_day_counts_its_hours():
    # Sunday 26 January 2025 was a working day in mainland China, in exchange for a holiday
    office = Calendar("Asia/Shanghai", ((9 * 60, 18 * 60),), WEEKDAYS, extra_days={dt.date(2025, 1, 26)})
    clock = started(2 * HOUR, utc(2025, 1, 24, 9, 0))  # 17:00 Friday in Shanghai
    assert deadline(clock, office) == utc(2025, 1, 26, 2, 0)  # 10:00 Sunday


def test_the_repeated_hour_counts_twice_when_the_centre_is_open_all_night():
    always_open = Calendar("America/Toronto", ((0, 1440),), frozenset(range(7)))
    # local midnight to midnight on 2 November 2025 is 25 hours
    assert always_open.counted(utc(2025, 11, 2, 4, 0), utc(2025, 11, 3, 5, 0)) == 25 * HOUR


def test_a_new_priority_keeps_what_was_consumed():
    start = utc(2025, 5, 5, 8, 0)
    clock = started(7 * DAY, start)
    # after one day the work becomes urgent: three days in all, of which one is spent
    clock = rebudgeted(clock, Calendar.always(), 3 * DAY, start + dt.timedelta(days=1))
    assert consumed_at(clock, Calendar.always(), start + dt.timedelta(days=1)) == DAY
    assert deadline(clock, Calendar.always()) == start + dt.timedelta(days=3)


def test_a_budget_already_spent_runs_out_at_the_change_and_stays_out_when_paused():
    start = utc(2025, 5, 5, 8, 0)
    change = start + dt.timedelta(days=4)
    clock = rebudgeted(started(7 * DAY, start), Calendar.always(), 3 * DAY, change)
    assert deadline(clock, Calendar.always()) == change
    clock = paused(clock, Calendar.always(), change + dt.timedelta(hours=5))
    assert deadline(clock, Calendar.always()) == change
    assert consumed_at(clock, Calendar.always(), change + dt.timedelta(days=9)) == 4 * DAY + 5 * HOUR

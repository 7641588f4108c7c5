"""The clock's arithmetic against a brute-force oracle that walks time minute by minute.

The oracle knows nothing of spans, offsets or transitions: for each minute it asks the time zone
for the local time and checks the day and the opening hours, and it counts consumed minutes one
at a time. Random calendars (zones whose clocks change by an hour or half an hour, at night or
at midnight, north and south of the equator, and opening hours around the changes), holidays and
make-up days, and random pauses, resumptions and budget changes: the consumed time, the moment
half the budget is used and the deadline must agree after every step.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from aftersales.sla.rules.calendars import Calendar
from aftersales.sla.rules.clock import consumed_at, deadline, moment_of, paused, rebudgeted, resumed, started

UTC = dt.timezone.utc
HORIZON = 8 * 24 * 60  # minutes the oracle walks
ZONES = ["America/Toronto", "Europe/London", "Australia/Sydney", "Australia/Lord_Howe", "America/St_Johns",
         "America/Santiago", "Asia/Shanghai", "UTC"]


def _oracle_counted(zone, hours, open_days, days_off, extra_days, start: dt.datetime) -> list[bool]:
    """For each minute of the horizon: does it count? Asked of the zone one minute at a time."""
    if hours is None:
        return [True] * HORIZON
    tz, out = ZoneInfo(zone), []
    for i in range(HORIZON):
        local = (start + dt.timedelta(minutes=i)).astimezone(tz)
        day = local.date()
        working = day in extra_days or (day.weekday() in open_days and day not in days_off)
        minute_of_day = local.hour * 60 + local.minute
        out.append(working and any(a <= minute_of_day < b for a, b in hours))
    return out


@st.composite
def hours(draw):
    cuts = sorted(draw(st.lists(st.integers(0, 48), min_size=2, max_size=6, unique=True)))
    return tuple((cuts[i] * 30, cuts[i + 1] * 30) for i in range(0, len(cuts) - 1, 2))


@st.composite
def scenarios(draw):
    month = draw(st.sampled_from([3, 4, 9, 10, 11]))
    start = dt.datetime(2025, month, draw(st.integers(1, 28)), draw(st.integers(0, 23)), draw(st.integers(0, 59)),
                        tzinfo=UTC)
    near = [start.date() + dt.timedelta(days=n) for n in range(-1, 10)]
    calendar = dict(zone=draw(st.sampled_from(ZONES)), hours=draw(st.none() | hours()),
                    open_days=draw(st.frozensets(st.integers(0, 6), min_size=1)),
                    days_off=draw(st.frozensets(st.sampled_from(near), max_size=4)),
                    extra_days=draw(st.frozensets(st.sampled_from(near), max_size=2)))
    op = st.sampled_from(["pause", "resume"]) | st.integers(1, 2 * 1440).map(lambda n: ("budget", n))
    events = draw(st.lists(st.tuples(st.integers(0, 2 * 1440), op), max_size=6))
    return start, calendar, draw(st.integers(1, 2 * 1440)), events


class Oracle:
    """The clock, minute by minute."""

    def __init__(self, counted: list[bool], budget: int):
        self.counted, self.budget = counted, budget
        self.running, self.consumed, self.ran_out, self.t = True, 0, None, 0

    def advance(self, to: int) -> None:
        for i in range(self.t, to):
            if self.running and self.counted[i]:
                self.consumed += 1
                if self.consumed >= self.budget and self.ran_out is None:
                    self.ran_out = i + 1
        self.t = to

    def apply(self, op) -> None:
        if op == "pause":
            self.running = False
        elif op == "resume":
            self.running = True
        else:
            old, self.budget = self.budget, op[1]
            if self.consumed < self.budget:
                self.ran_out = None
            elif self.consumed < old:
                self.ran_out = self.t

    def deadline(self) -> int | None:
        """Minutes from the start; -1 when beyond the horizon."""
        if self.ran_out is not None:
            return self.ran_out
        if not self.running:
            return None
        return self.reaching(self.budget)

    def reaching(self, amount: int) -> int:
        """The minute (from the start) at which, running on, ``amount`` minutes are consumed."""
        left = amount - self.consumed
        for i in range(self.t, HORIZON):
            left -= self.counted[i]
            if left == 0:
                return i + 1
        return -1


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
# Santiago's clocks go back from midnight to 23:00 on 6 April 2025: the late hour of the 5th repeats
@example((dt.datetime(2025, 4, 5, 20, 0, tzinfo=UTC),
          dict(zone="America/Santiago", hours=((0, 60), (1380, 1440)), open_days=frozenset(range(7)),
               days_off=frozenset(), extra_days=frozenset()), 300, [(90, "pause"), (60, "resume")]))
# Toronto's go forward at 02:00 on 9 March 2025: an opening at 02:30 that day begins at 03:00
@example((dt.datetime(2025, 3, 8, 12, 0, tzinfo=UTC),
          dict(zone="America/Toronto", hours=((150, 240), (540, 1020)), open_days=frozenset(range(7)),
               days_off=frozenset(), extra_days=frozenset()), 600, [(1200, ("budget", 200)), (30, "pause")]))
def test_consumed_time_and_deadline_match_a_minute_by_minute_count(scenario):
    start, spec, budget, events = scenario
    oracle = Oracle(_oracle_counted(**spec, start=start), budget)
    calendar = Calendar(spec["zone"], spec["hours"], spec["open_days"], spec["days_off"], spec["extra_days"]) \
        if spec["hours"] is not None else Calendar.always()
    clock = started(budget * 60, start)
    for delta, op in events:
        if oracle.t + delta >= HORIZON - 1:
            break
        oracle.advance(oracle.t + delta)
        now = start + dt.timedelta(minutes=oracle.t)
        assert consumed_at(clock, calendar, now) == oracle.consumed * 60
        oracle.apply(op)
        clock = (paused(clock, calendar, now) if op == "pause" else resumed(clock, now) if op == "resume"
                 else rebudgeted(clock, calendar, op[1] * 60, now))
        _same_moments(oracle, clock, calendar, start)
    oracle.advance(HORIZON - 1)
    assert consumed_at(clock, calendar, start + dt.timedelta(minutes=HORIZON - 1)) == oracle.consumed * 60
    _same_moments(oracle, clock, calendar, start)


def _same_moments(oracle: Oracle, clock, calendar, start) -> None:
    half = oracle.budget // 2
    if oracle.running and oracle.consumed < half:  # an escalation step at half the budget
        expected = oracle.reaching(half)
        got = moment_of(clock, calendar, half * 60)
        assert got >= start + dt.timedelta(minutes=HORIZON) if expected == -1 else \
            got == start + dt.timedelta(minutes=expected)
    expected = oracle.deadline()
    got = deadline(clock, calendar)
    if expected is None:
        assert got is None
    elif expected == -1:
        assert got >= start + dt.timedelta(minutes=HORIZON)
    else:
        assert got == start + dt.timedelta(minutes=expected)

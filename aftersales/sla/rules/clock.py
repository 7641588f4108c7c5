"""A service-level clock: a budget of counted time, what has been consumed, and since when it runs.

The clock never stores a deadline to be moved. It holds the budget, the time consumed up to the
moment it last started (or in all, while it is paused or stopped), and that moment. Everything
else is worked out from these and the calendar:

- consumed now = consumed + the calendar's counted time from the last start until now;
- the deadline = the moment the remaining budget runs out on the calendar, counted from the last
  start: nothing while paused;
- pausing folds the time counted so far into ``consumed``; resuming sets a new start; a new
  budget (another priority or policy) keeps what was consumed and only changes what is left.

``ran_out_at`` keeps the moment the budget ran out once it has, so that a clock paused or
stopped after its deadline still says when that was. A new budget that is already consumed runs
out at the moment of the change; a larger one that is not clears it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from aftersales.sla.rules.calendars import Calendar


@dataclass(frozen=True, slots=True)
class Clock:
    budget: int  # seconds of counted time
    consumed: int = 0  # seconds, up to ``running_since`` when running
    running_since: dt.datetime | None = None
    ran_out_at: dt.datetime | None = None

    @property
    def running(self) -> bool:
        return self.running_since is not None


def started(budget: int, now: dt.datetime) -> Clock:
    if budget <= 0:
        raise ValueError("a clock's budget must be above zero")
    return Clock(budget=budget, running_since=now)


def consumed_at(clock: Clock, calendar: Calendar, now: dt.datetime) -> int:
    if clock.running_since is None or now <= clock.running_since:
        return clock.consumed
    return clock.consumed + calendar.counted(clock.running_since, now)


def moment_of(clock: Clock, calendar: Calendar, amount: int) -> dt.datetime | None:
    """When the consumed time reaches ``amount`` while the clock runs on: None when it is paused
    and has not reached it, the last start when it had reached it by then."""
    if clock.consumed >= amount:
        return clock.ran_out_at if amount == clock.budget and clock.ran_out_at else clock.running_since
    if clock.running_since is None:
        return None
    return calendar.reach(clock.running_since, amount - clock.consumed)


def deadline(clock: Clock, calendar: Calendar) -> dt.datetime | None:
    """The moment the budget runs out (or ran out); None while paused with budget left."""
    if clock.ran_out_at is not None:
        return clock.ran_out_at
    return moment_of(clock, calendar, clock.budget)


def _folded(clock: Clock, calendar: Calendar, now: dt.datetime) -> Clock:
    """The clock with the time counted until ``now`` folded into ``consumed``, and the moment it ran
    out kept if it ran out meanwhile."""
    ran_out = clock.ran_out_at
    used = consumed_at(clock, calendar, now)
    if ran_out is None and used >= clock.budget and clock.running_since is not None:
        ran_out = calendar.reach(clock.running_since, clock.budget - clock.consumed)
    return replace(clock, consumed=used, ran_out_at=ran_out,
                   running_since=now if clock.running_since is not None else None)


def paused(clock: Clock, calendar: Calendar, now: dt.datetime) -> Clock:
    if not clock.running:
        return clock
    return replace(_folded(clock, calendar, now), running_since=None)


def resumed(clock: Clock, now: dt.datetime) -> Clock:
    if clock.running:
        return clock
    return replace(clock, running_since=now)


def rebudgeted(clock: Clock, calendar: Calendar, budget: int, now: dt.datetime) -> Clock:
    """A new budget from ``now`` on, keeping what was consumed."""
    if budget <= 0:
        raise ValueError("a clock's budget must be above zero")
    folded = _folded(clock, calendar, now)
    if folded.consumed < budget:
        return replace(folded, budget=budget, ran_out_at=None)
    return replace(folded, budget=budget, ran_out_at=folded.ran_out_at if folded.consumed >= clock.budget else now)

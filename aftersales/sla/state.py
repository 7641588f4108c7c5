"""The stored clock read as the pure one (``rules.clock.Clock``) and written back, the calendar
it counts on, and the writer of its event rows: what the services and the worker share."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from aftersales.sla.calendars import placed
from aftersales.sla.models import Clock, ClockEvent, ClockState
from aftersales.sla.policies import policy_by_label
from aftersales.sla.rules import clock as rules
from aftersales.sla.rules.calendars import Calendar
from aftersales.sla.rules.terms import Policy


def as_rules(row: Clock) -> rules.Clock:
    return rules.Clock(budget=row.budget, consumed=row.consumed, running_since=row.running_since,
                       ran_out_at=row.ran_out_at)


def store(row: Clock, clock: rules.Clock, calendar: Calendar) -> None:
    """Copy the pure clock's fields onto the row, with the deadline they give on ``calendar``
    (the caller saves it)."""
    row.budget, row.consumed = clock.budget, clock.consumed
    row.running_since, row.ran_out_at = clock.running_since, clock.ran_out_at
    row.due_at = rules.deadline(clock, calendar)
    if row.state != ClockState.STOPPED:
        row.state = ClockState.RUNNING if clock.running else ClockState.PAUSED


def policy_of(row: Clock) -> Policy:
    return policy_by_label(row.policy)


def calendar_of(row: Clock, policy: Policy | None = None) -> Calendar:
    terms = (policy or policy_of(row)).targets[row.target].calendar
    centre = row.centre
    return placed(terms, timezone=centre.timezone if centre else None, region=centre.region if centre else None)


def zone_of(row: Clock) -> ZoneInfo:
    return ZoneInfo(row.centre.timezone if row.centre else "UTC")


def event(row: Clock, kind: str, *, at: dt.datetime, consumed: int, now: dt.datetime, **data) -> ClockEvent:
    return ClockEvent.objects.create(clock=row, kind=kind, at=at, recorded_at=now, consumed=consumed, data=data)

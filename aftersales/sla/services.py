"""Writes on service-level clocks: start, pause, resume, stop, change and assign.

Any app attaches clocks to its own work, named by a subject ``(kind, id)``, one clock per target
of the policy (acknowledge, first answer, resolution). Each service locks the subject's clocks,
first raises whatever escalation came due up to ``now`` (so a pause never swallows a step that
was due before it), then applies the change with the pure clock (``rules.clock``), writes an
event row and queues the next check. A change keeps the time consumed: pausing folds it in,
resuming counts on from now, a new priority, policy or centre only changes what is left.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from aftersales.core.errors import AppError, Conflict, NotFound
from aftersales.sla.escalations import raise_due, reschedule
from aftersales.sla.models import Clock, ClockEventKind, ClockState
from aftersales.sla.policies import policy_in_force
from aftersales.sla.rules import clock as rules
from aftersales.sla.rules.terms import Policy
from aftersales.sla.state import as_rules, calendar_of, event, policy_of, store, zone_of

Subject = tuple[str, str]  # (kind of work, its id), e.g. ("dispute", "D-7K3Q")
# LATE_MOMENTS: a clock started for work that began before it could (``since``), then paused or
# stopped at moments recorded before ``now`` (``at``), counts exactly as if it had run then; the
# escalation steps due before such a moment are not raised now (the work moved on since), those
# due after it are, by the worker, as for any clock.
UNCHANGED = object()


def _checked(policy: Policy, target: str, priority: str | None, centre) -> str:
    if target not in policy.targets:
        raise AppError("unknown-sla-target", f"{policy.label} sets no target {target!r}.",
                       f"{policy.label} 未设定目标 {target!r}。", field="target")
    priority = priority or policy.priorities[0]
    if priority not in policy.priorities:
        raise AppError("unknown-priority", f"{policy.label} has no priority {priority!r}.",
                       f"{policy.label} 没有优先级 {priority!r}。", field="priority")
    if policy.targets[target].calendar.business and centre is None:
        raise AppError("sla-needs-centre", "This target counts the opening hours of a service centre: name the centre.",
                       "该目标按服务中心的营业时间计时，请指定服务中心。", field="centre")
    return priority


def _day(now: dt.datetime, centre) -> dt.date:
    return now.astimezone(zone_of(Clock(centre=centre))).date()


@transaction.atomic
def clock_start(*, subject: Subject, policy: str, target: str, now: dt.datetime, priority: str | None = None,
                centre=None, owner=None, lead=None, manager=None, title: tuple[str, str] = ("", ""),
                link: str = "", since: dt.datetime | None = None) -> Clock:
    """Start the subject's clock for ``target`` under the version of ``policy`` in force today.
    Starting a clock that exists returns it unchanged (a retried request starts nothing twice).
    ``since``: for work that began before its clock could start, the moment it counts from (the
    time since then is consumed on the calendar as if it had run; the version is the one in force
    that day, or today's when none was)."""
    kind, sid = subject
    existing = Clock.objects.filter(subject_kind=kind, subject_id=sid, target=target).first()
    if existing is not None:
        return existing
    since = since or now
    terms = _in_force(policy, since, now, centre)
    priority = _checked(terms, target, priority, centre)
    row = Clock(subject_kind=kind, subject_id=sid, target=target, policy=terms.label, priority=priority,
                centre=centre, started_at=since, state=ClockState.RUNNING, owner=owner, lead=lead, manager=manager,
                title_en=title[0], title_zh=title[1], link=link)
    store(row, rules.started(terms.budget(target, priority), since), calendar_of(row, terms))
    row.save()
    event(row, ClockEventKind.STARTED, at=since, consumed=0, now=now, policy=terms.label, priority=priority,
          budget=row.budget, clause=terms.targets[target].clause)
    reschedule(row, now, terms)
    return row


def _in_force(policy: str, since: dt.datetime, now: dt.datetime, centre) -> Policy:
    try:
        return policy_in_force(policy, _day(since, centre))
    except NotFound:
        if since == now:
            raise
        return policy_in_force(policy, _day(now, centre))


def _locked(subject: Subject, target: str | None) -> list[Clock]:
    rows = Clock.objects.select_for_update(of=("self",)).select_related("centre").filter(
        subject_kind=subject[0], subject_id=subject[1]).exclude(state=ClockState.STOPPED)
    if target is not None:
        rows = rows.filter(target=target)
    return list(rows.order_by("pk"))


def _apply(row: Clock, clock: rules.Clock, kind: str, now: dt.datetime, policy: Policy | None = None,
           at: dt.datetime | None = None, **data) -> None:
    store(row, clock, calendar_of(row, policy))
    row.save()
    event(row, kind, at=at or now, consumed=clock.consumed, now=now, **data)
    reschedule(row, now, policy)


@transaction.atomic
def clock_pause(*, subject: Subject, now: dt.datetime, target: str | None = None, reason: str = "",
                at: dt.datetime | None = None) -> list[Clock]:
    """Pause the subject's running clocks (or one): the time consumed so far is kept. ``at``: the
    moment the work stopped counting, when that is recorded later (``LATE_MOMENTS``)."""
    rows = [r for r in _locked(subject, target) if r.state == ClockState.RUNNING]
    for row in rows:
        if at is None:
            raise_due(row, now)
        row.paused_for = reason
        _apply(row, rules.paused(as_rules(row), calendar_of(row), at or now), ClockEventKind.PAUSED, now, at=at,
               reason=reason)
    return rows


@transaction.atomic
def clock_resume(*, subject: Subject, now: dt.datetime, target: str | None = None) -> list[Clock]:
    """Resume the subject's paused clocks (or one): they count on from ``now``."""
    rows = [r for r in _locked(subject, target) if r.state == ClockState.PAUSED]
    for row in rows:
        row.paused_for = ""
        _apply(row, rules.resumed(as_rules(row), now), ClockEventKind.RESUMED, now)
    return rows


@transaction.atomic
def clocks_follow(*, subject: Subject, state: str, now: dt.datetime) -> list[Clock]:
    """The subject entered ``state``: pause its clocks if their policy pauses in that state,
    resume them otherwise. Returns the clocks that changed."""
    changed = []
    for row in _locked(subject, None):
        pauses = state in policy_of(row).pause_states
        if pauses and row.state == ClockState.RUNNING:
            changed += clock_pause(subject=subject, now=now, target=row.target, reason=state)
        elif not pauses and row.state == ClockState.PAUSED:
            changed += clock_resume(subject=subject, now=now, target=row.target)
    return changed


@transaction.atomic
def clock_stop(*, subject: Subject, target: str, now: dt.datetime, at: dt.datetime | None = None) -> Clock | None:
    """The target is met (or the work ended): stop its clock for good, keeping the time consumed.
    None when the subject has no running or paused clock for it. ``at``: the moment it was met,
    when that is recorded later (``LATE_MOMENTS``)."""
    rows = _locked(subject, target)
    if not rows:
        return None
    row = rows[0]
    if at is None:
        raise_due(row, now)
    clock = rules.paused(as_rules(row), calendar_of(row), at or now)
    row.state, row.stopped_at, row.next_check_at = ClockState.STOPPED, at or now, None
    store(row, clock, calendar_of(row))
    row.save()
    event(row, ClockEventKind.STOPPED, at=at or now, consumed=clock.consumed, now=now,
          in_time=clock.consumed <= clock.budget)
    return row


@transaction.atomic
def clock_change(*, subject: Subject, now: dt.datetime, target: str | None = None, priority: str | None = None,
                 policy: str | None = None, centre=UNCHANGED) -> list[Clock]:
    """A new priority, policy (the version in force today) or centre for the subject's clocks (or
    one): the time consumed is kept, the budget is the new one's, and what is left is counted on
    the new calendar from ``now``."""
    rows = _locked(subject, target)
    for row in rows:
        raise_due(row, now)
        old_calendar, before = calendar_of(row), (row.policy, row.priority, row.budget)
        new_centre = row.centre if centre is UNCHANGED else centre
        terms = policy_in_force(policy, _day(now, new_centre)) if policy else policy_of(row)
        new_priority = _checked(terms, row.target, priority or row.priority, new_centre)
        clock = rules.rebudgeted(as_rules(row), old_calendar, terms.budget(row.target, new_priority), now)
        row.policy, row.priority, row.centre = terms.label, new_priority, new_centre
        _apply(row, clock, ClockEventKind.CHANGED, now, terms, before=list(before),
               after=[terms.label, new_priority, clock.budget])
    if target is not None and not rows:
        raise Conflict("no-running-clock", "That clock is not running or paused.", "该计时器未在计时或暂停中。")
    return rows


@transaction.atomic
def clock_assign(*, subject: Subject, owner=UNCHANGED, lead=UNCHANGED, manager=UNCHANGED) -> int:
    """Who the subject's clocks escalate to from now on; returns how many clocks changed."""
    fields = {k: v for k, v in (("owner", owner), ("lead", lead), ("manager", manager)) if v is not UNCHANGED}
    if not fields:
        return 0
    return Clock.objects.filter(subject_kind=subject[0], subject_id=subject[1]).update(**fields)

"""Escalations and breaches: raised by the worker at their moment, each once.

A target's policy lists escalation steps as shares of the budget (50 % → tell the owner, 80 % →
the team lead, 100 % → the manager); the budget running out is the breach. ``clock_check`` — the
worker's task, the sweep's, and every service's before it changes a clock — locks the clock,
raises every step whose share is consumed by now and the breach if the budget is spent, and
queues the next check for the moment the next one comes due.

Each step is one ``Escalation`` row (the database keeps one per clock and share) and one message,
written in the transaction that locks the clock: a check that runs twice finds the row and does
nothing; one killed midway wrote nothing, and the next check raises the step. A step whose
person is missing goes to the next one up (owner, then team lead, then manager).
"""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.db import transaction

from aftersales.core.slots import TaskSlot
from aftersales.notifications.compose import Words
from aftersales.notifications.services import staff_alert
from aftersales.sla.models import Clock, ClockEventKind, ClockState, Escalation
from aftersales.sla.rules import clock as rules
from aftersales.sla.rules.terms import PEOPLE, Policy, Step
from aftersales.sla.state import as_rules, calendar_of, event, policy_of, zone_of
from aftersales.sla.targets import TARGET_WORDS

# The worker's task (``sla.tasks.clock_check``) calls this module: it registers itself here.
CLOCK_CHECK = TaskSlot("check a service-level clock")


def threshold(budget: int, step: Step) -> int:
    return budget * step.at // 100


def raise_due(row: Clock, now: dt.datetime, policy: Policy | None = None) -> int:
    """Raise every step and the breach due by ``now`` on a locked clock; returns how many."""
    policy = policy or policy_of(row)
    calendar = calendar_of(row, policy)
    clock = as_rules(row)
    used = rules.consumed_at(clock, calendar, now)
    done = set(row.escalations.values_list("percent", flat=True))
    raised = 0
    for step in policy.targets[row.target].steps:
        amount = threshold(row.budget, step)
        if step.at in done or used < amount:
            continue
        due = rules.moment_of(clock, calendar, amount) or now
        _escalate(row, step, due=due, amount=amount, now=now)
        raised += 1
    if used >= row.budget and row.breached_at is None:
        row.breached_at = rules.deadline(clock, calendar) or now
        row.save(update_fields=["breached_at"])
        event(row, ClockEventKind.BREACHED, at=row.breached_at, consumed=row.budget, now=now)
        raised += 1
    return raised


def _person(row: Clock, tell: str):
    for role in PEOPLE[PEOPLE.index(tell):]:
        person = getattr(row, role)
        if person is not None and person.is_active:
            return person
    return None


def _escalate(row: Clock, step: Step, *, due: dt.datetime, amount: int, now: dt.datetime) -> None:
    person = _person(row, step.tell)
    Escalation.objects.create(clock=row, percent=step.at, tell=step.tell, person=person, due_at=due, raised_at=now)
    event(row, ClockEventKind.ESCALATED, at=due, consumed=amount, now=now, percent=step.at, tell=step.tell,
          person=person.pk if person else None)
    if person is None:
        return
    local = due.astimezone(zone_of(row))
    staff_alert(user=person, template="sla-escalation", key=f"sla:{row.pk}:{step.at}", now=now, context={
        "title": Words(row.title_en or f"{row.subject_kind} {row.subject_id}",
                       row.title_zh or row.title_en or f"{row.subject_kind} {row.subject_id}"),
        "target": TARGET_WORDS[row.target], "percent": step.at, "late": step.at >= 100,
        "moment": local.strftime("%Y-%m-%d %H:%M"), "zone": local.tzname(),
        "link": f"{settings.SITE_URL.rstrip('/')}{row.link}" if row.link else ""})


def next_moment(row: Clock, policy: Policy, now: dt.datetime) -> dt.datetime | None:
    """The next moment a step or the breach comes due while the clock runs on; None if paused."""
    if row.state != ClockState.RUNNING:
        return None
    calendar = calendar_of(row, policy)
    clock = as_rules(row)
    used = rules.consumed_at(clock, calendar, now)
    done = set(row.escalations.values_list("percent", flat=True))
    amounts = [threshold(row.budget, s) for s in policy.targets[row.target].steps if s.at not in done]
    if row.breached_at is None:
        amounts.append(row.budget)
    pending = [a for a in amounts if a > used]
    return rules.moment_of(clock, calendar, min(pending)) if pending else None


def reschedule(row: Clock, now: dt.datetime, policy: Policy | None = None) -> None:
    """Queue a check for the next moment, after commit, unless one is queued for it already."""
    moment = next_moment(row, policy or policy_of(row), now)
    if moment == row.next_check_at:
        return
    row.next_check_at = moment
    row.save(update_fields=["next_check_at"])
    if moment is not None:
        transaction.on_commit(functools.partial(CLOCK_CHECK.enqueue, row.pk, run_after=moment))


@transaction.atomic
def clock_check(*, clock_id: int, now: dt.datetime) -> int:
    """The worker's check of one clock: raise what is due, queue the next. Returns how many
    steps (and the breach) it raised; safe to run early, late or twice."""
    row = Clock.objects.select_for_update(of=("self",)).select_related("centre").filter(pk=clock_id).first()
    if row is None or row.state == ClockState.STOPPED:
        return 0
    policy = policy_of(row)
    raised = raise_due(row, now, policy)
    reschedule(row, now, policy)
    return raised

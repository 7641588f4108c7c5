"""Reads on service-level clocks: a clock as staff and customers see it, and the clocks due a check.

``clock_due`` works the deadline out from the stored budget, consumed time and last start, on the
target's calendar placed at the centre: nothing stored is a deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F

from aftersales.sla.models import Clock, ClockState
from aftersales.sla.policies import policy_by_label
from aftersales.sla.rules import clock as rules
from aftersales.sla.rules.terms import Policy
from aftersales.sla.services import Subject
from aftersales.sla.state import as_rules, calendar_of, policy_of, zone_of
from aftersales.sla.targets import TARGET_WORDS


@dataclass(frozen=True, slots=True)
class ClockView:
    target: str
    target_en: str
    target_zh: str
    state: str  # running, paused, stopped
    paused_for: str
    priority: str
    policy: str  # id@version
    clause_en: str
    clause_zh: str
    business_hours: bool  # counted in the centre's opening hours, not every hour of the day
    budget: int  # seconds of counted time
    consumed: int
    deadline: dt.datetime | None  # UTC; None while paused with time left
    due_local: dt.datetime | None  # the deadline in the centre's time zone
    breached: bool
    in_time: bool | None  # for a stopped clock: met within its budget

    @property
    def remaining(self) -> int:
        """Seconds of counted time left; negative when overdue."""
        return self.budget - self.consumed

    @property
    def overdue(self) -> bool:
        return self.consumed > self.budget or (self.consumed == self.budget and self.state != ClockState.STOPPED)

    @property
    def paused(self) -> bool:
        return self.state == ClockState.PAUSED

    @property
    def stopped(self) -> bool:
        return self.state == ClockState.STOPPED


def clock_view(row: Clock, now: dt.datetime, policy: Policy | None = None) -> ClockView:
    policy = policy or policy_of(row)
    calendar = calendar_of(row, policy)
    clock = as_rules(row)
    consumed = rules.consumed_at(clock, calendar, now)
    deadline = rules.deadline(clock, calendar)
    clause = policy.clauses[policy.targets[row.target].clause]
    words = TARGET_WORDS[row.target]
    return ClockView(
        target=row.target, target_en=words.en, target_zh=words.zh, state=row.state, paused_for=row.paused_for,
        priority=row.priority, policy=row.policy, clause_en=clause.en, clause_zh=clause.zh,
        business_hours=policy.targets[row.target].calendar.business, budget=row.budget, consumed=consumed,
        deadline=deadline, due_local=deadline.astimezone(zone_of(row)) if deadline else None,
        breached=row.breached_at is not None or consumed >= row.budget and row.state != ClockState.STOPPED,
        in_time=consumed <= row.budget if row.state == ClockState.STOPPED else None)


def clock_due(*, subject: Subject, target: str, now: dt.datetime) -> ClockView | None:
    """The subject's clock for ``target`` as of ``now``; None when it has none."""
    row = Clock.objects.select_related("centre").filter(
        subject_kind=subject[0], subject_id=subject[1], target=target).first()
    return clock_view(row, now) if row else None


def clocks_due(*, kind: str, ids: list[str], targets: tuple[str, ...], now: dt.datetime) -> dict[tuple[str, str], ClockView]:
    """The ``targets`` clocks of the work of ``kind`` named by ``ids``, by (id, target): a list's
    clocks in one query (and one per policy version among them), never one per row."""
    rows = list(Clock.objects.select_related("centre").filter(subject_kind=kind, subject_id__in=list(ids),
                                                              target__in=list(targets)))
    policies = {label: policy_by_label(label) for label in {row.policy for row in rows}}
    return {(row.subject_id, row.target): clock_view(row, now, policies[row.policy]) for row in rows}


def clocks_of(*, subject: Subject, now: dt.datetime) -> list[ClockView]:
    rows = Clock.objects.select_related("centre").filter(subject_kind=subject[0], subject_id=subject[1])
    return [clock_view(row, now) for row in rows.order_by("pk")]


def clocks_to_check(*, now: dt.datetime) -> list[int]:
    """Clocks whose next check is due by ``now`` (the sweep's list), soonest first."""
    rows = Clock.objects.filter(state=ClockState.RUNNING, next_check_at__lte=now).order_by("next_check_at", "pk")
    return list(rows.values_list("pk", flat=True))


def subjects_by_due(*, kind: str, target: str) -> list[str]:
    """The ids of the work of ``kind`` whose ``target`` clock is running or paused, the soonest due
    first (overdue ones at the top, paused ones last): a queue by due date."""
    rows = Clock.objects.filter(subject_kind=kind, target=target).exclude(state=ClockState.STOPPED)
    return list(rows.order_by(F("due_at").asc(nulls_last=True), "pk").values_list("subject_id", flat=True))

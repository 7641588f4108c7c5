"""Storage and lien (seed 002 §10, SPEC §7): the terms that apply to one case, the step that is
due for it, and the fees it has accrued. Reads only; the rules themselves are in
``repairs.rules.storage``, the notices and timers in ``repairs.reactions``, and the timer's work
(the moves into storage and disposal review) in ``repairs.timers``.

When the work on a case ends — repaired, declined, or nothing to repair — the case becomes READY
and the customer is told to collect the device (or that it is coming back by post). If nobody
collects it, the storage terms of the pack in force apply (``Pack.storage``): a second notice,
storage fees, and finally a review of what may be done with the device as the law allows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aftersales.core.money import Money
from aftersales.notifications.compose import Words
from aftersales.policy.pack import Storage
from aftersales.repairs.models import Case, CaseEvent, EventKind
from aftersales.repairs.rules.storage import DAY, Step, due_step, fee_days, first_fee_day
from aftersales.repairs.status import HELD, Status
from aftersales.warranty.packs import packs_in_force


@dataclass(frozen=True)
class Terms:
    pack: str
    storage: Storage
    currency: str
    clause: Words
    ready_since: dt.date
    stored_since: dt.date | None

    @property
    def daily_fee(self) -> Money:
        return Money(self.storage.daily_fee, self.currency)

    @property
    def first_fee_day(self) -> dt.date:
        return first_fee_day(self.ready_since, self.storage, self.stored_since)

    @property
    def remind_on(self) -> dt.date:
        return self.ready_since + self.storage.keep_days * DAY

    @property
    def review_on(self) -> dt.date:
        return self.first_fee_day + self.storage.review_after_days * DAY

    def fee_days(self, until: dt.date) -> int:
        if self.stored_since is None:  # never told a second time: nothing is owed
            return 0
        return fee_days(self.ready_since, until, self.storage, stored_since=self.stored_since)

    def context(self, today: dt.date) -> dict:
        """What the customer is told: dates, the daily fee, and the rule in the pack's words."""
        return {"ready_on": self.ready_since, "keep_until": self.remind_on - DAY, "fees_from": self.first_fee_day,
                "daily_fee": self.daily_fee, "so_far": self.daily_fee * self.fee_days(today),
                "review_on": self.review_on, "clause": self.clause}


def _entered(case: Case, status: str) -> dt.datetime | None:
    return (CaseEvent.objects.filter(case=case, kind=EventKind.STATUS_CHANGED, to_status=status)
            .order_by("-at", "-id").values_list("at", flat=True).first())


def storage_terms(case: Case) -> Terms | None:
    """The storage terms for a case that has been READY: those of the pack in force for its
    product line and its centre's region on the day it became READY. None when no pack sets any."""
    ready_at = _entered(case, Status.READY)
    if ready_at is None:
        return None
    ready_since = case.day(ready_at)
    pack = packs_in_force().select(case.product_line, case.centre.region, ready_since)
    if pack is None or pack.storage is None:
        return None
    clause = pack.clauses[pack.storage.clause]
    stored_at = _entered(case, Status.IN_STORAGE)
    return Terms(pack.label, pack.storage, pack.currency_for(case.centre.region), Words(clause.en, clause.zh),
                 ready_since, case.day(stored_at) if stored_at else None)


def step_due(*, status: str, today: dt.date, terms: Terms, fees_told: bool) -> Step:
    """The storage step due today for a case in ``status`` (none outside READY and IN_STORAGE)."""
    if status not in (Status.READY, Status.IN_STORAGE):
        return Step.WAIT
    return due_step(in_storage=status == Status.IN_STORAGE, today=today, ready_since=terms.ready_since,
                    stored_since=terms.stored_since, storage=terms.storage, fees_told=fees_told)


def storage_step_due(case: Case, *, now: dt.datetime) -> tuple[Step, Terms | None]:
    if case.status not in (Status.READY, Status.IN_STORAGE):
        return Step.WAIT, None
    terms = storage_terms(case)
    if terms is None:
        return Step.WAIT, None
    fees_told = CaseEvent.objects.filter(case=case, kind=EventKind.STORAGE_FEES_STARTED).exists()
    return step_due(status=case.status, today=case.day(now), terms=terms, fees_told=fees_told), terms


def storage_candidates():
    """Cases a storage check may concern, oldest change first."""
    return (Case.objects.filter(status__in=(Status.READY, Status.IN_STORAGE)).select_related("centre")
            .order_by("status_changed_at", "id"))


# --- fees so far (for the pickup invoice) -------------------------------------------------------

@dataclass(frozen=True)
class StorageFees:
    pack: str
    clause: str
    ready_since: dt.date
    first_fee_day: dt.date | None
    until: dt.date
    days: int
    daily_fee: Money
    total: Money


def storage_fees(case: Case, *, now: dt.datetime) -> StorageFees | None:
    """The storage fees a case has accrued: up to today while the device is at the centre, up to
    the day it left otherwise. None when the case was never ready or no pack sets storage terms."""
    terms = storage_terms(case)
    if terms is None:
        return None
    left_at = None
    if case.status not in HELD:
        left_at = (CaseEvent.objects.filter(case=case, kind=EventKind.STATUS_CHANGED, from_status__in=HELD)
                   .exclude(to_status__in=HELD).order_by("at", "id").values_list("at", flat=True).first())
    until = case.day(left_at or now)
    days = terms.fee_days(until)
    return StorageFees(terms.pack, terms.storage.clause, terms.ready_since,
                       terms.first_fee_day if terms.stored_since else None, until, days, terms.daily_fee,
                       terms.daily_fee * days)

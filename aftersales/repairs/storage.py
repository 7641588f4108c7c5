"""Storage and lien (seed 002 §10, SPEC §7): timers, not memory.

When the work on a case ends — repaired, declined, or nothing to repair — the case becomes READY
and the customer is told to collect the device (or that it is coming back by post). If nobody
collects it, the storage terms of the pack in force apply (``Pack.storage``): a second notice,
storage fees, and finally a review of what may be done with the device as the law allows.
A timer task (``tasks.storage_check``) is queued for each due day, and the ``storage-sweep``
command runs the same check for every case that is due, in case a queued task was lost. A check
reads the clock once and decides from the case's status and dates alone, so running it early,
twice, or after the customer collected does nothing.

Timing rule. Days are calendar dates in the service centre's time zone (SPEC "Dates"). With S
the day the case became READY and K the pack's ``keep_days``:

- free storage is a period of K days from S: S through S + K − 1;
- on S + K (day 60 when S is day 0 and K = 60) the second notice goes out and the case moves
  to IN_STORAGE. The first fee day F is S + K, or the day it actually moved if that was later:
  nobody pays for days before they were told;
- fees are ``daily_fee`` for each day from F up to, but not including, the day the device
  leaves; the day of collection is never charged, so collecting on F costs nothing and
  collecting on F + 1 costs one day;
- on F + 1, if the device is still there, a notice says fees have started and what they are;
- on F + ``review_after_days``, if it is still there, the case moves to DISPOSAL_REVIEW, with a
  notice.

Timers are queued for 09:00 local time on the due day, so nobody gets a message at night.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction

from aftersales.core.money import Money
from aftersales.notifications.compose import Words
from aftersales.notifications.models import Notification
from aftersales.notifications.services import notify
from aftersales.repairs.models import Case, CaseEvent, EventKind
from aftersales.repairs.status import Status
from aftersales.warranty.packs import packs_in_force
from aftersales.policy.pack import Storage

DAY = dt.timedelta(days=1)
TIMER_HOUR = dt.time(9, 0)
HELD = (Status.READY, Status.IN_STORAGE, Status.DISPOSAL_REVIEW)  # at the centre, waiting for the owner


# --- the rules (no database) ----------------------------------------------------------------

def first_fee_day(ready_since: dt.date, storage: Storage, stored_since: dt.date | None = None) -> dt.date:
    due = ready_since + storage.keep_days * DAY
    return max(due, stored_since) if stored_since else due


def fee_days(ready_since: dt.date, until: dt.date, storage: Storage, *,
             stored_since: dt.date | None = None) -> int:
    return max(0, (until - first_fee_day(ready_since, storage, stored_since)).days)


def storage_fee(ready_since: dt.date, until: dt.date, storage: Storage, currency: str, *,
                stored_since: dt.date | None = None) -> Money:
    """Storage fees for a device ready since ``ready_since`` and leaving on ``until``.

    Days counted: the calendar days d with ready_since + keep_days <= d < until. The first
    keep_days days (ready_since through ready_since + keep_days − 1, a period as SPEC "Dates"
    defines it) are free, and the day the device leaves (``until``) is never charged; with
    keep_days = 60, collecting on day 60 (the day fees begin) costs nothing, on day 61 one
    daily_fee. ``stored_since``, the day the case actually moved to storage with the second
    notice, delays the first fee day when that notice went out late."""
    return Money(storage.daily_fee, currency) * fee_days(ready_since, until, storage, stored_since=stored_since)


class Step(enum.StrEnum):
    WAIT = "wait"
    REMIND = "remind"  # second notice; the case moves to storage
    FEES_STARTED = "fees-started"
    REVIEW = "review"  # the case moves to disposal review


def due_step(*, status: str, today: dt.date, ready_since: dt.date, stored_since: dt.date | None,
             storage: Storage, fees_told: bool) -> Step:
    if status == Status.READY:
        return Step.REMIND if today >= ready_since + storage.keep_days * DAY else Step.WAIT
    if status != Status.IN_STORAGE:
        return Step.WAIT
    first = first_fee_day(ready_since, storage, stored_since)
    if today >= first + storage.review_after_days * DAY:
        return Step.REVIEW
    if today > first and not fees_told:
        return Step.FEES_STARTED
    return Step.WAIT


# --- the terms that apply to one case -------------------------------------------------------

@dataclass(frozen=True)
class Terms:
    pack: str
    storage: Storage
    currency: str
    clause: Words
    timezone: str
    ready_since: dt.date
    stored_since: dt.date | None

    @property
    def daily_fee(self) -> Money:
        return Money(self.storage.daily_fee, self.currency)

    @property
    def first_fee_day(self) -> dt.date:
        return first_fee_day(self.ready_since, self.storage, self.stored_since)

    def day(self, at: dt.datetime) -> dt.date:
        return at.astimezone(ZoneInfo(self.timezone)).date()

    def fee_days(self, until: dt.date) -> int:
        if self.stored_since is None:  # never told a second time: nothing is owed
            return 0
        return fee_days(self.ready_since, until, self.storage, stored_since=self.stored_since)

    def context(self, today: dt.date) -> dict:
        """What the customer is told: dates, the daily fee, and the rule in the pack's words."""
        return {"ready_on": self.ready_since, "keep_until": self.ready_since + (self.storage.keep_days - 1) * DAY,
                "fees_from": self.first_fee_day, "daily_fee": self.daily_fee,
                "so_far": self.daily_fee * self.fee_days(today),
                "review_on": self.first_fee_day + self.storage.review_after_days * DAY, "clause": self.clause}


def _entered(case: Case, status: str) -> dt.datetime | None:
    return (CaseEvent.objects.filter(case=case, kind=EventKind.STATUS_CHANGED, to_status=status)
            .order_by("-at", "-id").values_list("at", flat=True).first())


def storage_terms(case: Case) -> Terms | None:
    """The storage terms for a case that has been READY: those of the pack in force for its
    product line and its centre's region on the day it became READY. None when no pack sets any."""
    ready_at = _entered(case, Status.READY)
    if ready_at is None:
        return None
    zone = ZoneInfo(case.centre.timezone)
    ready_since = ready_at.astimezone(zone).date()
    pack = packs_in_force().select(case.product_line, case.centre.region, ready_since)
    if pack is None or pack.storage is None:
        return None
    clause = pack.clauses[pack.storage.clause]
    stored_at = _entered(case, Status.IN_STORAGE)
    return Terms(pack.label, pack.storage, pack.currency_for(case.centre.region), Words(clause.en, clause.zh),
                 case.centre.timezone, ready_since, stored_at.astimezone(zone).date() if stored_at else None)


# --- what happens when a case enters a storage status -----------------------------------------

def after_status_change(case: Case, old: str, new: str, now: dt.datetime) -> None:
    """Called by ``case_transition`` inside its transaction, after the event row is written.
    Notices are written now and sent after commit; timers are queued after commit."""
    if new not in HELD:
        return
    terms = storage_terms(case)
    if new == Status.READY:
        notify(case=case, template="collect-ready", key=f"{case.number}:collect-1",
               context=terms.context(terms.day(now)) if terms else {}, now=now, attach_report=True)
        if terms:
            _queue_check(case.number, terms.ready_since + terms.storage.keep_days * DAY, terms.timezone)
        return
    if terms is None:
        return
    if new == Status.IN_STORAGE:
        notify(case=case, template="collect-reminder", key=f"{case.number}:collect-2",
               context=terms.context(terms.day(now)), now=now)
        _queue_check(case.number, terms.first_fee_day + DAY, terms.timezone)
        _queue_check(case.number, terms.first_fee_day + terms.storage.review_after_days * DAY, terms.timezone)
    else:
        notify(case=case, template="disposal-review", key=f"{case.number}:disposal-review",
               context=terms.context(terms.day(now)), now=now)


def _queue_check(number: str, day: dt.date, timezone: str) -> None:
    run_after = dt.datetime.combine(day, TIMER_HOUR, tzinfo=ZoneInfo(timezone)).astimezone(dt.timezone.utc)
    transaction.on_commit(functools.partial(_enqueue_check, number, run_after))


def _enqueue_check(number: str, run_after: dt.datetime) -> None:
    from aftersales.repairs.tasks import storage_check

    storage_check.using(run_after=run_after).enqueue(number)


# --- the check --------------------------------------------------------------------------------

def storage_step_due(case: Case, *, now: dt.datetime) -> tuple[Step, Terms | None]:
    if case.status not in (Status.READY, Status.IN_STORAGE):
        return Step.WAIT, None
    terms = storage_terms(case)
    if terms is None:
        return Step.WAIT, None
    fees_told = Notification.objects.filter(key=f"{case.number}:storage-fees").exists()
    return due_step(status=case.status, today=terms.day(now), ready_since=terms.ready_since,
                    stored_since=terms.stored_since, storage=terms.storage, fees_told=fees_told), terms


def storage_check_run(*, number: str, now: dt.datetime) -> str:
    """Take the one storage step that is due for the case, if any. Returns the step taken."""
    from aftersales.repairs.services import case_transition  # services imports this module

    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("centre").filter(number=number).first()
        if case is None:
            return Step.WAIT.value
        step, terms = storage_step_due(case, now=now)
        if step == Step.REMIND:
            keep = terms.storage.keep_days
            case_transition(number=number, to=Status.IN_STORAGE, actor=None, now=now,
                            note=f"Not collected in the {keep} days of free storage (policy {terms.pack}). / "
                                 f"{keep} 天免费保管期内未取回（政策 {terms.pack}）。")
        elif step == Step.FEES_STARTED:
            notify(case=case, template="storage-fees-started", key=f"{number}:storage-fees",
                   context=terms.context(terms.day(now)), now=now)
        elif step == Step.REVIEW:
            days = terms.storage.review_after_days
            case_transition(number=number, to=Status.DISPOSAL_REVIEW, actor=None, now=now,
                            note=f"Still not collected {days} days after storage fees began (policy {terms.pack})."
                                 f" / 开始计收保管费 {days} 天后仍未取回（政策 {terms.pack}）。")
        return step.value


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
    until = terms.day(left_at or now)
    days = terms.fee_days(until)
    return StorageFees(terms.pack, terms.storage.clause, terms.ready_since,
                       terms.first_fee_day if terms.stored_since else None, until, days, terms.daily_fee,
                       terms.daily_fee * days)

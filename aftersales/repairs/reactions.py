"""What follows from a case event: the one table of reactions.

``follow(event, now=...)`` looks up ``REACTIONS[(event.kind, event.to_status)]`` and runs each
reaction. ``case_transition`` calls it for every status change, after the event row is written;
a service that records another kind of event the customer hears about calls it the same way.

A reaction writes what it owes into the database, in the same transaction as the change it
follows — a notice row (``notifications.notify``) — and everything that leaves the database runs
only after that transaction commits: the e-mail or text message is sent, the repair report PDF
rendered for it, the storage timer queued. A change that is rolled back tells nobody anything
and starts no timer, and a notice owed is never lost between the change and its sending.

Which events the customer hears about: booking, each status change worth a message of its own,
a damage decision, a shipment, an advance replacement, a quotation (its own message, with the
link to answer it), the answer to a follow-up. Finer events — a finding, a test, a part fitted,
a photo — stay on the timeline and in the repair report, so nobody gets a dozen e-mails in a
morning. Moves that another event already announces say nothing of their own: a quotation sent
(the quotation's message), shipped (the shipment's message with its tracking number).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Callable
from zoneinfo import ZoneInfo

from django.db import transaction

from aftersales.billing.links import link_open_until, quotation_link, quotation_token
from aftersales.billing.models import Quotation
from aftersales.core.money import Money
from aftersales.core.slots import TaskSlot
from aftersales.notifications.compose import Words
from aftersales.notifications.services import notify, status_change_notify
from aftersales.repairs.models import CaseEvent, EventKind
from aftersales.repairs.rules.storage import DAY
from aftersales.repairs.status import Status
from aftersales.repairs.storage import storage_terms

TIMER_HOUR = dt.time(9, 0)  # storage timers fire at 09:00 local time: nobody gets a message at night
# The storage timer's task (``repairs.tasks.storage_check``) moves cases through the door, which
# calls this module: it registers itself here instead of being imported.
STORAGE_CHECK = TaskSlot("check a case's storage timer")

Reaction = Callable[[CaseEvent, dt.datetime], None]


# --- notices ------------------------------------------------------------------------------------

def tell(event: CaseEvent, now: dt.datetime) -> None:
    """The event's own words, as a message to the customer."""
    if event.customer_visible:
        status_change_notify(case=event.case, event=event, now=now)


def _storage_notice(template: str, key: str, attach_report: bool = False) -> Reaction:
    def reaction(event: CaseEvent, now: dt.datetime) -> None:
        case = event.case
        terms = storage_terms(case)
        context = terms.context(case.day(now)) if terms else {}
        notify(case=case, template=template, key=f"{case.number}:{key}", context=context, now=now,
               attach_report=attach_report)

    reaction.__name__ = f"notice_{template.replace('-', '_')}"
    return reaction


# The device is ready: collect it (or it is coming by post), with the repair report attached.
collect_notice = _storage_notice("collect-ready", "collect-1", attach_report=True)
reminder_notice = _storage_notice("collect-reminder", "collect-2")
fees_notice = _storage_notice("storage-fees-started", "storage-fees")
disposal_notice = _storage_notice("disposal-review", "disposal-review")


def quotation_notice(event: CaseEvent, now: dt.datetime) -> None:
    """The quotation, line by line, with the signed link to answer it."""
    q = Quotation.objects.select_related("case").get(pk=event.data["quotation"])
    lines = [{"text": Words(line.text_en, line.text_zh), "price": Money(line.price, q.currency),
              "covered": line.covered} for line in q.lines.all()]
    fee = event.data.get("inspection_fee")
    notify(case=q.case, template="quotation-sent", key=f"{q.case.number}:quotation-{q.pk}", now=now,
           context={"lines": lines, "link": quotation_link(quotation_token(q)), "respond_by": q.respond_by,
                    "link_until": link_open_until(q),
                    "explanation": q.explanation, "inspection_fee": Money(fee, q.currency) if fee else None})


# --- timers -------------------------------------------------------------------------------------

def _queue_check(event: CaseEvent, day: dt.date) -> None:
    zone = ZoneInfo(event.case.centre.timezone)
    run_after = dt.datetime.combine(day, TIMER_HOUR, tzinfo=zone).astimezone(dt.timezone.utc)
    transaction.on_commit(functools.partial(_enqueue_check, event.case.number, run_after))


def _enqueue_check(number: str, run_after: dt.datetime) -> None:
    STORAGE_CHECK.enqueue(number, run_after=run_after)


def reminder_timer(event: CaseEvent, now: dt.datetime) -> None:
    """Ready: check again on the day free storage ends."""
    if (terms := storage_terms(event.case)) is not None:
        _queue_check(event, terms.remind_on)


def storage_timers(event: CaseEvent, now: dt.datetime) -> None:
    """In storage: check again the day after fees start, and on the day of disposal review."""
    if (terms := storage_terms(event.case)) is not None:
        _queue_check(event, terms.first_fee_day + DAY)
        _queue_check(event, terms.review_on)


# --- the table ----------------------------------------------------------------------------------

S, K = Status, EventKind
REACTIONS: dict[tuple[str, str], tuple[Reaction, ...]] = {
    (K.BOOKED, S.BOOKED): (tell,),
    (K.STATUS_CHANGED, S.RECEIVED): (tell,),
    (K.STATUS_CHANGED, S.DIAGNOSING): (tell,),
    (K.STATUS_CHANGED, S.AWAITING_CUSTOMER): (),  # the quotation's own message says it
    (K.STATUS_CHANGED, S.REPAIRING): (tell,),
    (K.STATUS_CHANGED, S.QA): (tell,),
    (K.STATUS_CHANGED, S.READY): (collect_notice, reminder_timer),
    (K.STATUS_CHANGED, S.SHIPPED): (),  # the shipment's message says it, with the tracking number
    (K.STATUS_CHANGED, S.COLLECTED): (tell,),
    (K.STATUS_CHANGED, S.IN_STORAGE): (reminder_notice, storage_timers),
    (K.STATUS_CHANGED, S.DISPOSAL_REVIEW): (disposal_notice,),
    (K.STATUS_CHANGED, S.CANCELLED): (tell,),
    (K.QUOTATION_SENT, ""): (quotation_notice,),
    (K.DAMAGE_DECIDED, ""): (tell,),
    (K.SHIPPED, ""): (tell,),
    (K.ADVANCE_SHIPPED, ""): (tell,),
    (K.FOLLOW_UP_ANSWERED, ""): (tell,),
    (K.STORAGE_FEES_STARTED, ""): (fees_notice,),
}


def follow(event: CaseEvent, *, now: dt.datetime) -> CaseEvent:
    """Run what follows from ``event``; returns the event."""
    for reaction in REACTIONS.get((event.kind, event.to_status), ()):
        reaction(event, now)
    return event

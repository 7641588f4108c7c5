"""The self-repair order's background work: the return deadline and the refund.

``deadline_check_run`` is queued for each reminder day and for the day after the deadline, at
09:00 in the customer's country. It reads the clock once and decides from the order's status and
dates alone: a reminder when one is due (once per reminder day: the message's key), and past the
deadline with our part still with the customer, the purchase — the ledger hold on the deposit is
posted to revenue from parts and the customer told. ``refund_run`` gives a deposit back once the
part is in (or the order was cancelled before shipping): the hold is voided, the deposit refunded
through the provider, the order closed.

Both are safe to run early, late, twice, or again after a worker was killed mid-run: every
movement of money carries a key derived from the order (the ledger and the provider return the
first result for a repeated key), each step is one transaction, and a finished step changes the
status that the next run reads. ``csr-sweep`` runs both for every open order, in case a queued
task was lost.

Reminder days (days before the deadline) are the self-repair terms' ``reminder_days`` (7 and 2
in the North-American notebook pack), of the pack version that granted the order.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction

from aftersales.core.slots import TaskSlot
from aftersales.csr import notices
from aftersales.csr.invoices import purchase_invoice_issue
from aftersales.csr.models import Order
from aftersales.csr.services import order_transition
from aftersales.csr.status import REFUND_DUE, WITH_CUSTOMER, Status
from aftersales.csr.terms import order_terms
from aftersales.ledger.models import Purpose
from aftersales.ledger.services import hold_post, hold_void
from aftersales.payments.services import payment_refund
from aftersales.policy.vocabulary import REGION_TIMEZONES

TIMER_HOUR = dt.time(9, 0)  # nobody gets a message at night
DEADLINE_CHECK = TaskSlot("check a self-repair order's return deadline")
REFUND = TaskSlot("refund a self-repair deposit")


def reminder_days(order: Order) -> tuple[int, ...]:
    """Days before the deadline a reminder goes out, the earliest first, by the order's terms."""
    return order_terms(pack=order.pack, applied_on=order.applied_on).reminder_days


def _local_day(order: Order, now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(REGION_TIMEZONES.get(order.country, "UTC"))).date()


def check_days(order: Order) -> list[dt.date]:
    """The days a deadline check is due: each reminder day, and the day after the deadline."""
    days = [order.return_due_on - dt.timedelta(days=n) for n in reminder_days(order)]
    return [d for d in days if d > order.applied_on] + [order.return_due_on + dt.timedelta(days=1)]


def queue_deadline_checks(number: str) -> None:
    order = Order.objects.get(number=number)
    zone = ZoneInfo(REGION_TIMEZONES.get(order.country, "UTC"))
    for day in check_days(order):
        run_after = dt.datetime.combine(day, TIMER_HOUR, tzinfo=zone).astimezone(dt.timezone.utc)
        DEADLINE_CHECK.enqueue(number, run_after=run_after)


def queue_refund(number: str) -> None:
    REFUND.enqueue(number)


@transaction.atomic
def deadline_check_run(*, number: str, now: dt.datetime) -> str:
    """Take the step that is due for the order, if any: ``purchased``, ``reminded``, or ``wait``."""
    order = Order.objects.select_for_update().filter(number=number).first()
    if order is None or order.status not in WITH_CUSTOMER:
        return "wait"
    today = _local_day(order, now)
    if today > order.return_due_on:
        posted = hold_post(key=f"csr:{order.number}:purchase", hold=order.hold_id, effective_on=today, now=now,
                           memo="self-repair part kept past the return deadline")
        invoice = purchase_invoice_issue(order=order, transfer=posted, now=now)
        order_transition(order=order, to=Status.PURCHASED, actor="system", now=now)
        notices.tell(order, "purchased", now=now, invoice=invoice.number)
        return "purchased"
    due = [n for n in reminder_days(order) if today >= order.return_due_on - dt.timedelta(days=n)]
    if due:
        notices.tell(order, "reminder", now=now, key=f"reminder-{min(due)}")
        return "reminded"
    return "wait"


@transaction.atomic
def refund_run(*, number: str, now: dt.datetime) -> str:
    """Refund the deposit if one is due: ``refunded`` or ``wait``."""
    order = Order.objects.select_for_update().filter(number=number).first()
    if order is None or order.status not in REFUND_DUE:
        return "wait"
    today = _local_day(order, now)
    hold_void(key=f"csr:{order.number}:release", hold=order.hold_id, effective_on=today, now=now,
              memo="self-repair part returned")
    payment_refund(key=f"csr:{order.number}:refund", payment=order.payment, out_of=Purpose.DEPOSITS_HELD,
                   effective_on=today, now=now)
    order_transition(order=order, to=Status.REFUNDED, actor="system", now=now)
    notices.tell(order, "refunded", now=now)
    return "refunded"

"""The steps of a self-repair order after the application, each through ``order_transition``.

``order_transition`` is the one door: it locks the order, checks ``status.TRANSITIONS``, writes
the status and the timeline event. The steps around it:

- ``order_ship``: the part leaves with its repair form and return label (staff);
- ``order_delivered``, ``order_return_scanned``: the carrier's scans of the two legs;
- ``order_return_confirmed``: the returned part is received and checked (staff); the refund
  follows in the background (``timers.refund_run``);
- ``order_cancel``: the customer cancels — before shipping, refunded at once; after, once every
  component is back.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.db import transaction

from aftersales.core.errors import AppError, Conflict, NotFound
from aftersales.csr import notices
from aftersales.csr.models import Order, OrderEvent
from aftersales.csr.status import CANCELLABLE, TRANSITIONS, Status


def order_locked(number: str) -> Order:
    order = Order.objects.select_for_update().filter(number=number).first()
    if order is None:
        raise NotFound("unknown-order", "There is no self-repair order with this number.",
                       "没有此编号的自助维修单。")
    return order


def order_transition(*, order: Order, to: Status, actor: str, now: dt.datetime) -> Order:
    """Move ``order`` to ``to`` if the table allows it; the caller holds the row lock."""
    if to not in TRANSITIONS[order.status]:
        raise Conflict("order-step-not-allowed", f"This step cannot be taken now: the order is "
                                                 f"'{Status(order.status).label}'.",
                       "此订单当前的状态不允许这一步操作。")
    OrderEvent.objects.create(order=order, from_status=order.status, to_status=to, actor=actor[:64], at=now)
    order.status = to
    order.save(update_fields=["status", "outbound_tracking"])
    return order


@transaction.atomic
def order_ship(*, number: str, tracking: str, actor: str, now: dt.datetime) -> Order:
    tracking = (tracking or "").strip()
    if not tracking or len(tracking) > 40:
        raise AppError("missing-tracking", "Give the tracking number of the parcel.", "请填写包裹的运单号。",
                       field="tracking")
    order = order_locked(number)
    order.outbound_tracking = tracking
    order_transition(order=order, to=Status.SHIPPED, actor=actor, now=now)
    notices.tell(order, "shipped", now=now)
    return order


@transaction.atomic
def order_delivered(*, number: str, now: dt.datetime) -> Order:
    order = order_locked(number)
    if order.status != Status.SHIPPED:  # a carrier scan repeated, or late: nothing to do
        return order
    return order_transition(order=order, to=Status.DELIVERED, actor="carrier", now=now)


@transaction.atomic
def order_return_scanned(*, number: str, now: dt.datetime) -> Order:
    """The carrier took the returned parcel: the return counts from this moment."""
    order = order_locked(number)
    if order.status in (Status.RETURN_SENT, Status.RETURN_RECEIVED, Status.REFUNDED):
        return order
    return order_transition(order=order, to=Status.RETURN_SENT, actor="carrier", now=now)


@transaction.atomic
def order_return_confirmed(*, number: str, actor: str, now: dt.datetime) -> Order:
    """The returned parcel is in and holds what it should; the refund follows after commit."""
    from aftersales.csr.timers import queue_refund

    order = order_locked(number)
    order_transition(order=order, to=Status.RETURN_RECEIVED, actor=actor, now=now)
    transaction.on_commit(functools.partial(queue_refund, order.number))
    return order


@transaction.atomic
def order_cancel(*, number: str, now: dt.datetime) -> Order:
    """The customer cancels (from the status page, signed in by number and contact)."""
    from aftersales.csr.timers import queue_refund

    order = order_locked(number)
    if order.status not in CANCELLABLE:
        raise Conflict("cannot-cancel", "This order can no longer be cancelled: the part is already on its way "
                                        "back, or the order is closed.",
                       "此订单已无法取消：部件已在寄回途中，或订单已结束。")
    if order.status == Status.DEPOSIT_HELD:
        order_transition(order=order, to=Status.CANCELLED, actor="customer", now=now)
        notices.tell(order, "cancelled", now=now)
        transaction.on_commit(functools.partial(queue_refund, order.number))
    else:
        order_transition(order=order, to=Status.CANCEL_REQUESTED, actor="customer", now=now)
        notices.tell(order, "cancel-requested", now=now)
    return order

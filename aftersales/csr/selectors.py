"""Reading self-repair orders: the one a customer opens with its number and their contact, and
what its status page shows (both legs of the shipment, the timeline)."""

from __future__ import annotations

from dataclasses import dataclass

from aftersales.core.errors import NotFound
from aftersales.csr.models import Order
from aftersales.csr.numbers import normalise_order_number
from aftersales.csr.status import Status
from aftersales.repairs.selectors import contact_matches


def order_found(*, number: str, contact: str) -> Order:
    """The order with that number whose e-mail or phone is ``contact``; the same refusal
    whichever was wrong, so numbers cannot be tried out."""
    normal = normalise_order_number(number)
    order = Order.objects.filter(number=normal).first() if normal else None
    if order is None or not contact_matches(order.email, order.phone, contact):
        raise NotFound("order-not-found", "We found no self-repair order with this number and this e-mail or "
                                          "phone. Check both and try again.",
                       "没有找到与此单号及电子邮箱或电话相符的自助维修单。请核对后重试。")
    return order


@dataclass(frozen=True)
class Leg:
    done: bool
    current: bool


def legs(order: Order) -> dict[str, list[tuple[str, Leg]]]:
    """Each shipment leg's steps, each done or not, for the status page."""
    reached = {e.to_status for e in order.events.all()}
    out_steps = [Status.SHIPPED, Status.DELIVERED]
    back_steps = [Status.RETURN_SENT, Status.RETURN_RECEIVED, Status.REFUNDED]
    return {
        "outbound": [(s, Leg(s in reached, order.status == s)) for s in out_steps],
        "return": [(s, Leg(s in reached, order.status == s)) for s in back_steps],
    }

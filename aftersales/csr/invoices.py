"""The invoice for a self-repair part the customer kept: the deposit posted to revenue from parts
is the part's price, and it is put on paper in the same transaction as that posting.

The key names the order (``csr-<number>-kept``), so a deadline check that runs again, or after a
worker was killed, finds the first invoice instead of issuing a second.
"""

from __future__ import annotations

import datetime as dt

from aftersales.csr.models import Order
from aftersales.invoicing.models import Invoice
from aftersales.invoicing.services import Line, invoice_issue
from aftersales.notifications.compose import day_text
from aftersales.policy.vocabulary import PARTS


def purchase_key(order: Order) -> str:
    return f"csr-{order.number}-kept"


def purchase_invoice_issue(*, order: Order, transfer, now: dt.datetime) -> Invoice:
    """Issue (once) the invoice for the part ``order``'s customer kept, documenting ``transfer``."""
    part_en, part_zh = PARTS[order.part]
    due_en, due_zh = day_text(order.return_due_on, "en"), day_text(order.return_due_on, "zh-hans")
    line = Line(f"Replacement {part_en} for {order.model}, serial {order.serial}, not returned by {due_en}",
                f"{order.model}（序列号 {order.serial}）的更换{part_zh}，未在 {due_zh} 前寄回", order.deposit)
    return invoice_issue(key=purchase_key(order), reference=order.number, region=order.country,
                         currency=order.currency, customer_name=order.customer_name,
                         customer_email=order.email, language=order.language, lines=[line],
                         transfers=[transfer], now=now)


def purchase_invoice(order: Order) -> Invoice | None:
    """The invoice for the kept part, once the order has one."""
    return Invoice.objects.filter(key=purchase_key(order)).first()

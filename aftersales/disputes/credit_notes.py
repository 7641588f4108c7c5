"""Credit notes for the money a dispute gives back: a reimbursement, or the charges refunded
after a reversed damage decision, credited on the case's invoices in the same transaction as the
refund.

The refund is credited on the case's invoices in its currency, oldest first, each up to what is
left to credit on it. Invoices are issued when a case's charges are paid in full
(``billing.charge_invoices``); a charge never paid is on no invoice, so its refund gets no credit
note — nothing was paid for it — and the resolution's line on the case's timeline says so to
staff. A dispute about a case from before this system has no invoice here either.

Each credit note's key names the dispute, the resolution's request key and the invoice
(``dispute-<number>-<key>-<invoice>``), so a form sent twice issues nothing new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from aftersales.invoicing.models import CreditNote, Invoice
from aftersales.invoicing.selectors import uncredited
from aftersales.invoicing.services import credit_note_issue


@dataclass(frozen=True)
class Credited:
    """What a refund put on paper: its credit notes, and the part of it on no invoice."""

    currency: str
    notes: list[CreditNote] = field(default_factory=list)
    not_invoiced: Decimal = Decimal("0.00")

    def staff_words(self) -> tuple[str, str]:
        """A sentence for staff when part or all of the refund has no credit note; empty otherwise."""
        if self.not_invoiced <= 0:
            return "", ""
        amount = f"{self.not_invoiced} {self.currency}"
        if not self.notes:
            return (f" No credit note was issued: the case has no invoice in {self.currency} left to credit for "
                    f"the {amount} refunded (an invoice is issued only once the charges are paid in full).",
                    f"未开具贷项通知单：该维修单没有可冲减所退 {amount} 的 {self.currency} 发票（费用全部付清后才开具发票）。")
        numbers = ", ".join(n.number for n in self.notes)
        return (f" Credit notes {numbers} were issued; {amount} of the refund is on no invoice, so no credit note "
                f"covers it.", f"已开具贷项通知单 {numbers}；退款中有 {amount} 不在任何发票上，未开具贷项通知单。")


def refund_credit(*, case, stem: str, amount: Decimal, currency: str, transfers: list, reason_en: str,
                  reason_zh: str, now: dt.datetime) -> Credited:
    """Credit ``amount`` refunded on ``case``'s invoices in ``currency``, oldest first."""
    notes, left = [], amount
    invoices = Invoice.objects.filter(case=case, currency=currency).order_by("issued_at", "id") if case else []
    for invoice in invoices:
        share = min(left, uncredited(invoice))
        if share <= 0:
            continue
        notes.append(credit_note_issue(key=f"{stem}-{invoice.number}", invoice=invoice, amount=share,
                                       reason_en=reason_en, reason_zh=reason_zh, transfers=transfers, now=now))
        left -= share
        if left <= 0:
            break
    return Credited(currency, notes, left)

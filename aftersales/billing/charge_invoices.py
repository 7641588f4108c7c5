"""The invoice for a paid repair: when a counter payment settles everything a case owes in a
currency, the charges not yet invoiced (accepted quotation lines, inspection fee, storage fee,
trip fee) are put on one invoice, one line per charge, linked to the ledger transfers that made
them due — in the payment's transaction.

Charges are append-only and each is invoiced once, in the order they fell due: a charge that
falls due after an invoice (a storage fee at hand-over, say) goes on the next one, issued when
that is paid in turn. The invoice's key names the case, the currency and the last charge it
covers (``case-<number>-paid-<currency>-<charge id>``), so a retried payment, or a second look at
the same moment, finds the first invoice and issues nothing new.
"""

from __future__ import annotations

import datetime as dt

from aftersales.billing.case_money import owed
from aftersales.billing.models import Charge
from aftersales.invoicing.models import Invoice, InvoiceLine
from aftersales.invoicing.services import Line, invoice_issue
from aftersales.ledger.models import Purpose, Transfer

DESCRIPTION_LIMIT = 200
KIND_WORDS = {"repair": ("Repair", "维修"), "inspection": ("Inspection fee", "检测费"),
              "storage": ("Storage fee", "保管费"), "trip": ("Trip fee", "上门费")}


def _key_prefix(case, currency: str) -> str:
    return f"case-{case.number}-paid-{currency}-"


def charges_uninvoiced(case, currency: str) -> list[Charge]:
    """The case's charges in ``currency`` that no paid-repair invoice carries yet, oldest first."""
    invoiced = InvoiceLine.objects.filter(invoice__case=case,
                                          invoice__key__startswith=_key_prefix(case, currency)).count()
    return list(Charge.objects.filter(case=case, currency=currency).order_by("created_at", "id"))[invoiced:]


def _transfers_uninvoiced(case, currency: str) -> list[Transfer]:
    on_paper = Invoice.transfers.through.objects.filter(transfer__reference=case.number).values("transfer_id")
    return list(Transfer.objects.filter(reference=case.number, currency=currency, debit__purpose=Purpose.RECEIVABLE)
                .exclude(pk__in=on_paper).order_by("id"))


def _text(text: str, fallback: str) -> str:
    """The charge's wording on one line, shortened to fit an invoice line; its kind when it has none."""
    text = " ".join((text or "").split()) or fallback
    return text if len(text) <= DESCRIPTION_LIMIT else text[:DESCRIPTION_LIMIT - 1] + "…"


def _line(charge: Charge) -> Line:
    en, zh = KIND_WORDS.get(charge.kind, KIND_WORDS["repair"])
    return Line(_text(charge.text_en, en), _text(charge.text_zh, zh), charge.amount)


def paid_repair_invoice_issue(*, case, currency: str, now: dt.datetime) -> Invoice | None:
    """If the case owes nothing more in ``currency`` and has charges not yet invoiced, invoice
    them (once); None when the case still owes something or everything is already invoiced. Call
    it inside the transaction that took the payment, with the case locked."""
    if owed(case.number, currency) > 0:
        return None
    charges = charges_uninvoiced(case, currency)
    if not any(c.amount > 0 for c in charges):  # nothing, or nothing but free charges, to put on paper
        return None
    return invoice_issue(key=f"{_key_prefix(case, currency)}{charges[-1].pk}", case=case, currency=currency,
                         lines=[_line(c) for c in charges], transfers=_transfers_uninvoiced(case, currency), now=now)

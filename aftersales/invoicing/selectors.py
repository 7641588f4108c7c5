"""Reading invoices and credit notes: a case's documents, one document by its number on a case,
and what is left to credit on an invoice."""

from __future__ import annotations

from decimal import Decimal

from aftersales.invoicing.models import CreditNote, Invoice


def uncredited(invoice: Invoice) -> Decimal:
    """The invoice's total less its credit notes (summed here in Decimal, not by the database,
    whose arithmetic on SQLite is binary floating point)."""
    credited = CreditNote.objects.filter(invoice=invoice).values_list("total", flat=True)
    return invoice.total - sum(credited, Decimal("0.00"))


def case_documents(case) -> list[Invoice | CreditNote]:
    """The case's invoices and credit notes, oldest first (an invoice before its credit notes)."""
    invoices = list(Invoice.objects.filter(case=case).order_by("issued_at", "id"))
    notes = list(CreditNote.objects.filter(case=case).select_related("invoice").order_by("issued_at", "id"))
    return sorted(invoices + notes, key=lambda d: (d.issued_at, isinstance(d, CreditNote), d.id))


def case_document(case, number: str) -> Invoice | CreditNote | None:
    """The invoice or credit note of this case with this number; None when the case has none such."""
    if not isinstance(number, str) or len(number) > 24:
        return None
    return (Invoice.objects.filter(case=case, number=number).first()
            or CreditNote.objects.select_related("invoice").filter(case=case, number=number).first())


def is_credit_note(document) -> bool:
    return isinstance(document, CreditNote)

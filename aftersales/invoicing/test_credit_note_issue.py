"""Issuing a credit note: it belongs to one invoice, copies its customer, takes the next number of
its own series, never credits more than is left on the invoice, and is idempotent by its key."""

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.core.errors import AppError
from aftersales.invoicing.conftest import NOW
from aftersales.invoicing.models import CreditNote, CreditNoteLine, Invoice
from aftersales.invoicing.selectors import uncredited
from aftersales.invoicing.services import Line, credit_note_issue, invoice_issue
from aftersales.ledger.models import Purpose
from aftersales.ledger.services import transfer_post

LATER = NOW + dt.timedelta(days=3)
REASON = {"reason_en": "Overcharge corrected after review", "reason_zh": "经复核更正多收的费用"}


@pytest.fixture
def invoice(case):
    """An invoice of 100.00 CNY for the case."""
    return invoice_issue(key="repair-1", case=case, lines=[Line("Deep cleaning", "深层清洁", "100.00")],
                         currency="CNY", now=NOW)


def credit(invoice, amount, key="refund-1", **kwargs):
    return credit_note_issue(key=key, invoice=invoice, amount=amount, now=LATER, **{**REASON, **kwargs})


def test_a_credit_note_credits_part_of_its_invoice_under_its_own_series(invoice):
    # given a second invoice, so that the invoice series is at 2
    invoice_issue(key="repair-2", case=invoice.case, lines=[Line("Fan", "风扇", "30.00")], currency="CNY", now=NOW)
    # when 40.00 of the first invoice is credited
    note = credit(invoice, "40.00")
    # then the credit note is the first of its own series, for the same customer, case and currency
    assert note.number == "CN-2026-C000001"
    assert (note.invoice, note.case, note.customer_name, note.language, note.currency) == (
        invoice, invoice.case, "Wang Fang", "zh-hans", "CNY")
    assert note.issued_on == dt.date(2026, 12, 3) and note.total == Decimal("40.00")
    # and its one line says why; 60.00 is left to credit
    assert list(note.lines.values_list("description_en", "description_zh", "amount")) == [
        (REASON["reason_en"], REASON["reason_zh"], Decimal("40.00"))]
    assert uncredited(invoice) == Decimal("60.00")


def test_credit_notes_together_never_exceed_the_invoice(invoice):
    # given 60.00 of the 100.00 invoice already credited
    credit(invoice, "60.00", key="refund-1")
    # when 50.00 more is asked for, then it is refused, saying what is left, and nothing is written
    with pytest.raises(AppError) as refused:
        credit(invoice.number, "50.00", key="refund-2")
    assert refused.value.code == "credit-above-invoice"
    assert "40.00 CNY" in refused.value.en and "40.00 CNY" in refused.value.zh
    assert CreditNote.objects.count() == 1
    # and the 40.00 left may be credited, after which not a cent more
    assert credit(invoice, "40.00", key="refund-3").number == "CN-2026-C000002"
    with pytest.raises(AppError) as refused:
        credit(invoice, "0.01", key="refund-4")
    assert refused.value.code == "credit-above-invoice"
    assert uncredited(invoice) == Decimal("0.00")


def test_a_retry_returns_the_first_credit_note_and_a_reused_key_is_refused(invoice):
    first = credit(invoice, "100.00")
    # a retry after the invoice is fully credited still returns the first credit note
    assert credit(invoice, "100.00").pk == first.pk
    with pytest.raises(AppError) as refused:
        credit(invoice, "10.00")
    assert refused.value.code == "idempotency-key-reused"
    assert CreditNote.objects.count() == 1 and CreditNoteLine.objects.count() == 1


@pytest.mark.parametrize(("amount", "code"), [
    ("-10.00", "negative-amount"), ("0", "total-zero"), ("10000000000", "amount-too-large"),
    (1e26, "invalid-amount"), ("100.001", "amount-too-precise"), ("100.01", "credit-above-invoice"),
    (None, "invalid-amount"),
])
def test_hostile_amounts_are_refused_with_a_code_and_nothing_is_written(invoice, amount, code):
    with pytest.raises(AppError) as refused:
        credit(invoice, amount)
    assert refused.value.code == code and refused.value.zh
    assert not CreditNote.objects.exists() and not CreditNoteLine.objects.exists()


@pytest.mark.parametrize(("changes", "code"), [
    ({"invoice": "CN-2026-999999"}, "invoice-not-found"),
    ({"invoice": None}, "invoice-not-found"),
    ({"reason_zh": ""}, "invalid-reason"),
    ({"reason_en": "x" * 201}, "invalid-reason"),
    ({"key": None}, "invalid-idempotency-key"),
])
def test_a_credit_note_without_what_it_needs_is_refused(invoice, changes, code):
    fields = {"invoice": invoice, "amount": "10.00", "key": "refund-1", **changes}
    with pytest.raises(AppError) as refused:
        credit(**fields)
    assert refused.value.code == code and not CreditNote.objects.exists()


def test_a_refund_becomes_a_credit_note_pointing_at_the_refund_transfer(invoice):
    # given a refund of 25.00 moved in the ledger
    refund = transfer_post(key="refund-move-1", debit=Purpose.REVENUE_LABOUR, credit=Purpose.REFUNDS_PAYABLE,
                           amount="25.00", currency="CNY", effective_on=LATER.date(), now=LATER,
                           reference=invoice.case.number)
    # when the credit note for it is issued
    note = credit(invoice, "25.00", transfers=[refund.pk])
    # then it documents that transfer, and the invoice is untouched
    assert list(note.transfers.all()) == [refund]
    assert Invoice.objects.get(pk=invoice.pk).total == Decimal("100.00")

"""Documents issued at the same moment on PostgreSQL (real connections in parallel): ten invoices
take ten consecutive numbers with no gap and no duplicate; ten identical requests make one
invoice; ten credit notes of one invoice never credit more than its total."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.core.testing import at_once
from aftersales.invoicing.conftest import NOW
from aftersales.invoicing.models import CreditNote, Invoice
from aftersales.invoicing.services import Line, credit_note_issue, invoice_issue

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]



def order_invoice(key: str, amount: str = "49.00") -> Invoice:
    return invoice_issue(key=key, region="US", reference=f"CSR-{key}", currency="USD", now=NOW,
                         customer_name="Jane Doe", language="en",
                         lines=[Line("Replacement SSD, not returned", "更换的固态硬盘（未退回）", amount)])


def test_ten_invoices_issued_at_once_take_ten_consecutive_numbers():
    outcomes = at_once(lambda i: order_invoice(f"order-{i}").number)
    assert {kind for kind, _ in outcomes} == {"done"}
    expected = [f"US-2026-{n:06d}" for n in range(1, 11)]
    assert sorted(number for _, number in outcomes) == expected
    assert sorted(Invoice.objects.values_list("number", flat=True)) == expected


def test_ten_identical_requests_at_once_make_one_invoice():
    outcomes = at_once(lambda i: order_invoice("order-1").number)
    assert outcomes == [("done", "US-2026-000001")] * 10
    assert Invoice.objects.count() == 1


def test_ten_credit_notes_of_one_invoice_at_once_never_credit_more_than_its_total():
    # given an invoice of 49.00, and ten refunds of 10.00 each asked for at once
    invoice = order_invoice("order-1")
    outcomes = at_once(lambda i: credit_note_issue(key=f"refund-{i}", invoice=invoice, amount="10.00",
                                                   reason_en="Partial refund", reason_zh="部分退款", now=NOW).number)
    # then four are issued, numbered one after another, and six refused
    done = sorted(number for kind, number in outcomes if kind == "done")
    assert done == [f"US-2026-C{n:06d}" for n in range(1, 5)]
    assert sorted(code for kind, code in outcomes if kind == "refused") == ["credit-above-invoice"] * 6
    assert sum(CreditNote.objects.values_list("total", flat=True), Decimal(0)) == Decimal("40.00")

"""A paid repair is invoiced: when a counter payment settles everything the case owes, the
charges not yet invoiced go on one invoice, one line per charge, linked to their transfers —
once, whatever is retried; a charge that falls due later goes on the next invoice."""

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.billing.charges import Leg, charge_due, storage_leg
from aftersales.billing.models import ChargeKind
from aftersales.invoicing.models import Invoice
from aftersales.ledger.models import Purpose
from aftersales.repairs.conftest import NOW
from aftersales.repairs.payments import payment_take

PAID_AT = NOW + dt.timedelta(hours=2)


@pytest.fixture
def owing(booked):
    """A case owing 250.00 CNY: an inspection fee of 170.00 and a storage fee of 80.00."""
    charge_due(case=booked, kind=ChargeKind.INSPECTION, currency="CNY", now=NOW,
               legs=[Leg(f"inspection:test:{booked.number}", Purpose.REVENUE_LABOUR, Decimal("170.00"))],
               text_en="Inspection fee: the device was opened and diagnosed.", text_zh="检测费：已拆机检测。")
    charge_due(case=booked, kind=ChargeKind.STORAGE, legs=[storage_leg(booked.number, Decimal("80.00"))],
               currency="CNY", now=NOW, text_en="Storage: 8 days.", text_zh="保管费：8 天。")
    return booked


def pay(case, actor, amount, key):
    return payment_take(number=case.number, amount=amount, currency="CNY", method="card", key=key, actor=actor,
                        now=PAID_AT)


def test_a_payment_that_settles_the_case_issues_an_invoice_with_one_line_per_charge(owing, staff):
    pay(owing, staff, "250.00", "form-1")
    invoice = Invoice.objects.get()
    assert (invoice.case_id, invoice.currency, invoice.total) == (owing.pk, "CNY", Decimal("250.00"))
    assert [(line.description_en, line.description_zh, line.amount) for line in invoice.lines.order_by("position")] \
        == [("Inspection fee: the device was opened and diagnosed.", "检测费：已拆机检测。", Decimal("170.00")),
            ("Storage: 8 days.", "保管费：8 天。", Decimal("80.00"))]
    assert sorted(t.amount for t in invoice.transfers.all()) == [Decimal("80.00"), Decimal("170.00")]
    assert {t.debit.purpose for t in invoice.transfers.all()} == {"receivable"}


def test_a_part_payment_issues_no_invoice_until_the_rest_is_paid(owing, staff):
    pay(owing, staff, "100.00", "form-1")
    assert Invoice.objects.count() == 0
    pay(owing, staff, "150.00", "form-2")
    assert Invoice.objects.get().total == Decimal("250.00")


def test_the_same_payment_retried_issues_no_second_invoice(owing, staff):
    pay(owing, staff, "250.00", "form-1")
    pay(owing, staff, "250.00", "form-1")
    assert Invoice.objects.count() == 1


def test_a_charge_due_after_the_invoice_goes_on_the_next_invoice_when_paid(owing, staff):
    pay(owing, staff, "250.00", "form-1")
    charge_due(case=owing, kind=ChargeKind.TRIP, currency="CNY", now=PAID_AT,
               legs=[Leg(f"trip:test:{owing.number}", Purpose.REVENUE_TRIPS, Decimal("60.00"))],
               text_en="Trip fee.", text_zh="上门费。")
    pay(owing, staff, "60.00", "form-2")
    first, second = Invoice.objects.order_by("id")
    assert (first.total, second.total) == (Decimal("250.00"), Decimal("60.00"))
    assert [line.description_en for line in second.lines.all()] == ["Trip fee."]
    assert [t.amount for t in second.transfers.all()] == [Decimal("60.00")]
    assert first.number != second.number


def test_a_charge_without_wording_is_invoiced_under_its_kind(booked, staff):
    charge_due(case=booked, kind=ChargeKind.TRIP, currency="CNY", now=NOW,
               legs=[Leg(f"trip:test:{booked.number}", Purpose.REVENUE_TRIPS, Decimal("60.00"))],
               text_en="", text_zh="")
    pay(booked, staff, "60.00", "form-1")
    line = Invoice.objects.get().lines.get()
    assert (line.description_en, line.description_zh) == ("Trip fee", "上门费")

"""Fixtures for the audit's console and compensation: the console's centres and registry (with
the shipped packs), auditors, and repairs of past years with one overcharge among them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.audit.models import HistoryCase, HistoryLine, HistoryPayment
from aftersales.billing.charges import Leg, charge_due
from aftersales.billing.models import ChargeKind, LineDecision, PartPrice, Quotation, QuotationLine, QuotationStatus
from aftersales.console.conftest import book, centres, frozen_now, registry  # noqa: F401 (fixtures)
from aftersales.core import clock
from aftersales.core.testing import role_user
from aftersales.invoicing.request_checks import Line
from aftersales.invoicing.services import invoice_issue
from aftersales.ledger.models import Purpose
from aftersales.ledger.services import transfer_post
from aftersales.repairs.models import PartDecision


@pytest.fixture
def auditor(db):
    return role_user("auditor", username="auditor")


def history_case(number: str, *, region="CN", currency="CNY", lines=(), paid=None) -> HistoryCase:
    """A home desktop's power supply, made 2020-01-10, bought 2020-03-01 (covered 36 months), in
    for repair on 2021-06-01; ``lines`` as (service, part, labour, parts)."""
    case = HistoryCase.objects.create(
        case_number=number, region=region, product_line="home-desktop", model="D500", serial=f"S-{number}",
        manufactured_on=dt.date(2020, 1, 10), purchased_on=dt.date(2020, 3, 1), opened_on=dt.date(2021, 6, 1),
        part="psu", currency=currency)
    for no, (service, part, labour, parts) in enumerate(lines, 1):
        HistoryLine.objects.create(case=case, line_no=no, service=service, part=part, labour_charged=Decimal(labour),
                                   parts_charged=Decimal(parts), currency=currency)
    if paid is not None:
        HistoryPayment.objects.create(case=case, paid_on=dt.date(2021, 6, 9), amount=Decimal(paid), currency=currency,
                                      reference=f"P-{number}")
    return case


@pytest.fixture
def history(registry):
    """Two repairs of 2021 in Shanghai: H1's covered power supply charged 400.00 (an overcharge),
    H2's deep cleaning charged the published 199.00 (right)."""
    PartPrice.objects.create(part="psu", product_line="home-desktop", region="CN", price=Decimal("350.00"),
                             currency="CNY", valid_from=dt.date(2020, 1, 1))
    return [history_case("H1", lines=[("part-replacement", "psu", "50.00", "350.00")], paid="400.00"),
            history_case("H2", lines=[("deep-cleaning", "", "199.00", "0.00")], paid="199.00")]


def paid_live_case(*, serial: str, labour: str, language: str = "en", email: str = "li.lei@example.com"):
    """A case of this system in Shanghai, booked today: its power supply found under warranty, a
    deep cleaning quoted and accepted for ``labour`` (the published fee is 199.00), paid at the
    counter and invoiced."""
    case = book(serial=serial, language=language, email=email)
    now = clock.now()
    PartDecision.objects.create(case=case, part="psu", covered=True, pack="cn-desktop", decision={}, decided_at=now)
    author = role_user("staff", username=f"author-{case.number}")
    quotation = Quotation.objects.create(case=case, status=QuotationStatus.ANSWERED, currency="CNY", author=author,
                                         created_at=now, sent_at=now, answered_at=now)
    QuotationLine.objects.create(quotation=quotation, position=1, service="deep-cleaning", text_en="Deep cleaning.",
                                 text_zh="深层清洁。", labour=Decimal(labour), parts=Decimal("0.00"),
                                 decision=LineDecision.ACCEPTED)
    charge_due(case=case, kind=ChargeKind.REPAIR, legs=[Leg(f"line-{case.number}", Purpose.REVENUE_LABOUR,
                                                            Decimal(labour))],
               currency="CNY", text_en="Deep cleaning", text_zh="深层清洁", now=now, quotation=quotation)
    transfer_post(key=f"paid-{case.number}", debit=Purpose.PROVIDER_CASH, credit=Purpose.RECEIVABLE, amount=labour,
                  currency="CNY", effective_on=case.day(now), now=now, reference=case.number)
    invoice_issue(key=f"invoice-{case.number}", case=case, lines=[Line("Deep cleaning", "深层清洁", labour)],
                  currency="CNY", now=now)
    return case

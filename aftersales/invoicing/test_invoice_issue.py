"""Issuing an invoice: numbered without gaps per region and year, the customer taken from the case,
idempotent by the caller's key, and every hostile request refused with a code, writing nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from aftersales.core.errors import AppError
from aftersales.invoicing.conftest import NOW
from aftersales.invoicing.models import Counter, Invoice, InvoiceLine
from aftersales.invoicing.services import Line, invoice_issue
from aftersales.ledger.models import Purpose
from aftersales.ledger.services import transfer_post

PSU = Line("Replacement power supply", "更换电源", "299.00")
LABOUR = Line("Labour, half an hour", "人工费（半小时）", "50.00", quantity=2)


def for_case(case, key="repair-1", lines=(PSU, LABOUR), now=NOW, **kwargs):
    return invoice_issue(key=key, case=case, lines=list(lines), currency="CNY", now=now, **kwargs)


def for_order(key="csr-1", region="US", reference="CSR-8841", **kwargs):
    fields = dict(lines=[Line("Replacement SSD, not returned", "更换的固态硬盘（未退回）", "89.00")], currency="USD",
                  now=NOW, customer_name="Jane Doe", customer_email="jane@example.com", language="en")
    return invoice_issue(key=key, region=region, reference=reference, **{**fields, **kwargs})


def test_an_invoice_for_a_case_takes_the_customer_and_region_from_the_case(case):
    # given a case booked at Shanghai by Wang Fang, who reads Chinese
    # when an invoice is issued for a part and two half-hours of labour
    invoice = for_case(case)
    # then it is the first invoice of mainland China this year, addressed to her, in Chinese
    assert invoice.number == "CN-2026-000001"
    assert (invoice.region, invoice.year, invoice.issued_on) == ("CN", 2026, dt.date(2026, 11, 30))
    assert (invoice.customer_name, invoice.customer_email, invoice.language) == (
        "Wang Fang", "wang.fang@example.com", "zh-hans")
    assert invoice.seller_zh == "华硕售后服务（中国大陆）\n服务中心：上海徐汇"
    # and its lines and total are to the cent: 299.00 + 2 × 50.00
    lines = list(invoice.lines.values_list("position", "quantity", "unit_amount", "amount"))
    assert lines == [(1, 1, Decimal("299.00"), Decimal("299.00")), (2, 2, Decimal("50.00"), Decimal("100.00"))]
    assert invoice.total == Decimal("399.00")


def test_each_region_numbers_its_invoices_one_after_another_on_its_own(case):
    # given invoices issued in turn for mainland China and the United States
    numbers = [for_case(case, key="cn-1").number, for_order(key="us-1").number, for_case(case, key="cn-2").number,
               for_order(key="us-2").number, for_case(case, key="cn-3").number]
    # then each region's series runs 1, 2, 3 without a gap
    assert numbers == ["CN-2026-000001", "US-2026-000001", "CN-2026-000002", "US-2026-000002", "CN-2026-000003"]


def test_the_first_invoice_of_a_new_local_year_starts_the_series_again(case):
    # given an invoice issued on New Year's Eve in Shanghai
    for_case(case, key="old-year", now=dt.datetime(2026, 12, 31, 15, 30, tzinfo=dt.UTC))
    # when the next is issued at half past midnight in Shanghai (still 31 December in UTC)
    invoice = for_case(case, key="new-year", now=dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC))
    # then it is dated and numbered in the new year, from one
    assert (invoice.issued_on, invoice.number) == (dt.date(2027, 1, 1), "CN-2027-000001")


def test_a_retry_with_the_same_key_returns_the_first_invoice_and_writes_nothing(case):
    first = for_case(case)
    again = for_case(case, now=NOW + dt.timedelta(minutes=5))
    assert again.pk == first.pk and again.number == "CN-2026-000001"
    assert Invoice.objects.count() == 1 and InvoiceLine.objects.count() == 2
    assert Counter.objects.get().last == 1


def test_a_key_reused_for_a_different_invoice_is_refused_and_nothing_more_is_written(case):
    for_case(case)
    with pytest.raises(AppError) as refused:
        for_case(case, lines=[PSU])
    assert refused.value.code == "idempotency-key-reused"
    assert refused.value.zh == "此请求键已用于另一份不同的单据，请换用新的键。"
    assert Invoice.objects.count() == 1 and Counter.objects.get().last == 1


@pytest.mark.parametrize(("lines", "code"), [
    ([Line("Part", "部件", "-1.00")], "negative-amount"),
    ([Line("Part", "部件", "10000000000")], "amount-too-large"),
    ([Line("Part", "部件", "9999999999.99", quantity=2)], "amount-too-large"),
    ([Line("Part", "部件", "6000000000"), Line("Part", "部件", "6000000000")], "amount-too-large"),
    ([Line("Part", "部件", 1.5)], "invalid-amount"),
    ([Line("Part", "部件", "NaN")], "invalid-amount"),
    ([Line("Part", "部件", "1.005")], "amount-too-precise"),
    ([Line("Part", "部件", "0.00")], "total-zero"),
    ([Line("Part", "部件", "1.00", quantity=0)], "invalid-quantity"),
    ([Line("Part", "部件", "1.00", quantity=True)], "invalid-quantity"),
    ([Line("Part", "部件", "1.00", quantity=10_000)], "invalid-quantity"),
    ([Line("", "部件", "1.00")], "invalid-line-description"),
    ([Line("Part\x00", "部件", "1.00")], "invalid-line-description"),
    ([Line("Part", "部" * 201, "1.00")], "invalid-line-description"),
    ([], "invalid-lines"),
    ([{"description_en": "Part", "description_zh": "部件", "unit_amount": "1.00"}], "invalid-lines"),
    ([Line("Part", "部件", "1.00")] * 51, "invalid-lines"),
])
def test_hostile_lines_are_refused_with_a_code_and_nothing_is_written(case, lines, code):
    with pytest.raises(AppError) as refused:
        for_case(case, lines=lines)
    assert refused.value.code == code and refused.value.en and refused.value.zh
    assert not Invoice.objects.exists() and not InvoiceLine.objects.exists() and not Counter.objects.exists()


@pytest.mark.parametrize(("changes", "code"), [
    ({"currency": "EUR"}, "unknown-currency"),
    ({"region": "XX"}, "unknown-region"),
    ({"reference": ""}, "reference-missing"),
    ({"customer_name": " "}, "customer-name-missing"),
    ({"customer_email": "not an address"}, "invalid-email"),
    ({"language": None}, "language-missing"),
    ({"key": ""}, "invalid-idempotency-key"),
    ({"key": "k" * 129}, "invalid-idempotency-key"),
    ({"now": dt.datetime(2026, 11, 30, 8, 0)}, "invalid-moment"),
    ({"transfers": [987654]}, "transfer-not-found"),
])
def test_an_invoice_without_what_it_needs_is_refused_with_a_code_and_nothing_is_written(db, changes, code):
    with pytest.raises(AppError) as refused:
        for_order(**changes)
    assert refused.value.code == code
    assert not Invoice.objects.exists() and not Counter.objects.exists()


def test_an_invoice_for_a_case_keeps_the_region_of_the_case(case):
    with pytest.raises(AppError) as refused:
        for_case(case, region="US")
    assert refused.value.code == "region-mismatch" and not Invoice.objects.exists()


def test_an_invoice_for_something_that_is_not_a_case_is_refused(case):
    with pytest.raises(AppError) as refused:
        for_case(case.number)
    assert refused.value.code == "case-not-found" and not Invoice.objects.exists()


def test_an_invoice_rolled_back_with_its_caller_gives_its_number_back(case):
    # given an invoice issued inside a caller's transaction that then fails
    with pytest.raises(RuntimeError), transaction.atomic():
        assert for_case(case, key="lost").number == "CN-2026-000001"
        raise RuntimeError("the caller's next step failed")
    # when the next invoice is issued
    # then it takes the number the lost one had: no gap
    assert for_case(case, key="kept").number == "CN-2026-000001"
    assert list(Invoice.objects.values_list("key", flat=True)) == ["kept"]


def test_an_invoice_for_a_self_repair_order_documents_the_ledger_transfer_it_names(db):
    # given the deposit of a part never returned, posted to revenue in the ledger
    kept = transfer_post(key="csr-8841-kept", debit=Purpose.DEPOSITS_HELD, credit=Purpose.REVENUE_PARTS,
                         amount="89.00", currency="USD", effective_on=NOW.date(), now=NOW, reference="CSR-8841")
    # when the invoice for it is issued, naming the order and the transfer
    invoice = for_order(transfers=[kept])
    # then it is the first of the United States, dated in New York, and points at the movement
    assert (invoice.number, invoice.issued_on, invoice.reference) == ("US-2026-000001", dt.date(2026, 11, 30),
                                                                      "CSR-8841")
    assert list(invoice.transfers.all()) == [kept]
    # and a transfer in another currency is refused
    with pytest.raises(AppError) as refused:
        for_order(key="csr-2", currency="CAD", transfers=[kept.pk])
    assert refused.value.code == "transfer-currency-mismatch"

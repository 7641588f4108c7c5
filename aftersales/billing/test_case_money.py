"""A case's money read from the ledger by its number: charged, paid, owed and deposits held, per
currency, whatever else the books hold."""

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.billing.case_money import CaseMoney, case_money
from aftersales.ledger.models import Purpose
from aftersales.ledger.services import hold_place, hold_void, transfer_post

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
CASE, OTHER = "R7KM9Q2T5WX4", "R7KM9Q2T5WX5"


def move(key, debit, credit, amount, currency="USD", reference=CASE):
    return transfer_post(key=key, debit=debit, credit=credit, amount=amount, currency=currency,
                         effective_on=NOW.date(), now=NOW, reference=reference)


def test_a_case_the_books_know_nothing_of_has_no_figures():
    move("other", Purpose.RECEIVABLE, Purpose.REVENUE_LABOUR, "10.00", reference=OTHER)
    assert case_money(CASE) == []


def test_charges_less_payments_are_owed_and_only_money_received_counts_as_paid():
    # given 120.00 charged (labour and parts), 50.00 paid in cash, and 20.00 written off as compensation
    move("labour", Purpose.RECEIVABLE, Purpose.REVENUE_LABOUR, "40.00")
    move("parts", Purpose.RECEIVABLE, Purpose.REVENUE_PARTS, "80.00")
    move("cash", Purpose.PROVIDER_CASH, Purpose.RECEIVABLE, "50.00")
    move("goodwill", Purpose.COMPENSATION, Purpose.RECEIVABLE, "20.00")
    # then the case was charged 120.00, the customer paid 50.00 and owes 50.00
    assert case_money(CASE) == [CaseMoney("USD", charged=Decimal("120.00"), paid=Decimal("50.00"),
                                          owed=Decimal("50.00"))]


def test_a_deposit_collected_or_reserved_is_held_until_it_is_released():
    # given a 49.00 deposit collected, a 30.00 one reserved by a hold, and a 10.00 hold voided
    move("deposit", Purpose.PROVIDER_CASH, Purpose.DEPOSITS_HELD, "49.00")
    hold_place(key="hold", debit=Purpose.PROVIDER_CASH, credit=Purpose.DEPOSITS_HELD, amount="30.00",
               currency="USD", timeout_at=None, effective_on=NOW.date(), now=NOW, reference=CASE)
    voided = hold_place(key="hold-2", debit=Purpose.PROVIDER_CASH, credit=Purpose.DEPOSITS_HELD, amount="10.00",
                        currency="USD", timeout_at=None, effective_on=NOW.date(), now=NOW, reference=CASE)
    hold_void(key="void", hold=voided.id, effective_on=NOW.date(), now=NOW)
    assert case_money(CASE)[0].deposits_held == Decimal("79.00")
    # when the collected deposit is refunded
    move("refund", Purpose.DEPOSITS_HELD, Purpose.REFUNDS_PAYABLE, "49.00")
    # then only the reserved one is held, and nothing was charged
    assert case_money(CASE) == [CaseMoney("USD", deposits_held=Decimal("30.00"))]


def test_each_currency_is_its_own_line():
    move("cny", Purpose.RECEIVABLE, Purpose.REVENUE_STORAGE, "5.00", currency="CNY")
    move("usd", Purpose.RECEIVABLE, Purpose.REVENUE_TRIPS, "100.00")
    assert [(m.currency, m.owed) for m in case_money(CASE)] == [("CNY", Decimal("5.00")), ("USD", Decimal("100.00"))]

"""Taking and giving back a deposit through the built-in provider: the provider's book and the
ledger move together, retries move nothing, keys are not reused, card data is refused unread."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.core.errors import AppError
from aftersales.core.money import Money
from aftersales.ledger.models import Purpose, Transfer
from aftersales.ledger.selectors import balance
from aftersales.ledger.services import account_for
from aftersales.payments.models import LocalEntry, Payment, Refund
from aftersales.payments.providers import DECLINING_TOKEN, PaymentDeclined
from aftersales.payments.services import payment_collect, payment_refund

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 11, 30)
DEPOSIT = {"token": "tok_visa_from_the_payment_page", "reference": "CSR-K7M2Q9", "into": Purpose.DEPOSITS_HELD,
           "effective_on": DAY, "now": NOW}


def held_usd() -> Decimal:
    return balance(account_for(Purpose.DEPOSITS_HELD, "USD")).credit_posted_net


def test_a_deposit_is_authorised_captured_and_held_in_the_ledger():
    payment = payment_collect(key="csr-1:deposit", amount=Money("89.00", "USD"), **DEPOSIT)
    assert payment.amount == Decimal("89.00") and payment.provider == "local"
    kinds = sorted(LocalEntry.objects.values_list("kind", flat=True))
    assert kinds == ["authorise", "capture"]
    assert held_usd() == Decimal("89.00")
    assert balance(account_for(Purpose.PROVIDER_CASH, "USD")).debit_posted_net == Decimal("89.00")


def test_a_retried_collection_returns_the_first_payment_and_charges_nothing_more():
    first = payment_collect(key="csr-1:deposit", amount=Money("89.00", "USD"), **DEPOSIT)
    again = payment_collect(key="csr-1:deposit", amount=Money("89.00", "USD"), **DEPOSIT)
    assert again.pk == first.pk
    assert (Payment.objects.count(), LocalEntry.objects.count(), Transfer.objects.count()) == (1, 2, 1)
    assert held_usd() == Decimal("89.00")


def test_the_same_key_for_another_amount_is_refused_and_charges_nothing():
    payment_collect(key="csr-1:deposit", amount=Money("89.00", "USD"), **DEPOSIT)
    with pytest.raises(AppError) as refused:
        payment_collect(key="csr-1:deposit", amount=Money("90.00", "USD"), **DEPOSIT)
    assert refused.value.code == "idempotency-key-reused"
    assert held_usd() == Decimal("89.00")


def test_a_declined_payment_leaves_no_payment_and_no_money_moved():
    with pytest.raises(PaymentDeclined) as declined:
        payment_collect(key="csr-2:deposit", amount=Money("89.00", "USD"), **{**DEPOSIT, "token": DECLINING_TOKEN})
    assert declined.value.code == "payment-declined" and "declined" in declined.value.en
    assert (Payment.objects.count(), Transfer.objects.count()) == (0, 0)


@pytest.mark.parametrize("card", ["4111111111111111", "4111 1111 1111 1111", "5500-0000-0000-0004"])
def test_a_card_number_in_place_of_a_token_is_refused_and_nothing_is_kept(card):
    with pytest.raises(AppError) as refused:
        payment_collect(key="csr-3:deposit", amount=Money("89.00", "USD"), **{**DEPOSIT, "token": card})
    assert refused.value.code == "card-number-given"
    assert (Payment.objects.count(), LocalEntry.objects.count()) == (0, 0)


def test_a_refund_gives_the_deposit_back_at_the_provider_and_in_the_ledger():
    payment = payment_collect(key="csr-1:deposit", amount=Money("89.00", "USD"), **DEPOSIT)
    refund = payment_refund(key="csr-1:refund", payment=payment, out_of=Purpose.DEPOSITS_HELD, effective_on=DAY,
                            now=NOW)
    assert refund.amount == Decimal("89.00")
    assert held_usd() == Decimal("0.00")
    assert balance(account_for(Purpose.PROVIDER_CASH, "USD")).debit_posted_net == Decimal("0.00")
    assert LocalEntry.objects.filter(kind="refund").count() == 1


def test_a_retried_refund_gives_back_nothing_more():
    payment = payment_collect(key="csr-1:deposit", amount=Money("89.00", "USD"), **DEPOSIT)
    for _ in range(2):
        payment_refund(key="csr-1:refund", payment=payment, out_of=Purpose.DEPOSITS_HELD, effective_on=DAY, now=NOW)
    assert (Refund.objects.count(), LocalEntry.objects.filter(kind="refund").count()) == (1, 1)
    assert held_usd() == Decimal("0.00")


def test_a_second_refund_beyond_what_was_taken_is_refused():
    payment = payment_collect(key="csr-1:deposit", amount=Money("89.00", "USD"), **DEPOSIT)
    payment_refund(key="csr-1:refund", payment=payment, amount=Money("50.00", "USD"), out_of=Purpose.DEPOSITS_HELD,
                   effective_on=DAY, now=NOW)
    with pytest.raises(AppError) as refused:
        payment_refund(key="csr-1:refund-2", payment=payment, amount=Money("40.00", "USD"),
                       out_of=Purpose.DEPOSITS_HELD, effective_on=DAY, now=NOW)
    assert refused.value.code == "refund-not-possible" and "39.00" in refused.value.en
    assert held_usd() == Decimal("39.00")

"""One-phase transfers: balances kept per account, retries that move nothing, keys that cannot be
reused for another request, bad input refused with nothing written, and the database's own
guards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from aftersales.core.errors import AppError
from aftersales.ledger.models import Account, Purpose, Transfer
from aftersales.ledger.selectors import balance
from aftersales.ledger.services import account_for, transfer_post

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 11, 30)
DEPOSIT = {"debit": Purpose.PROVIDER_CASH, "credit": Purpose.DEPOSITS_HELD, "currency": "USD",
           "effective_on": DAY, "now": NOW, "reference": "R7KM9Q2T5WX4"}


def test_a_deposit_is_debited_to_the_providers_cash_and_credited_to_deposits_held():
    transfer_post(key="deposit-1", amount="49.00", **DEPOSIT)
    cash, held = account_for(Purpose.PROVIDER_CASH, "USD"), account_for(Purpose.DEPOSITS_HELD, "USD")
    assert (balance(cash).debits_posted, balance(cash).credits_posted) == (Decimal("49.00"), Decimal("0.00"))
    assert balance(held).credit_posted_net == Decimal("49.00")


def test_a_retry_with_the_same_key_and_request_returns_the_first_transfer_and_moves_nothing():
    first = transfer_post(key="deposit-1", amount="49.00", **DEPOSIT)
    again = transfer_post(key="deposit-1", amount=Decimal("49"), **DEPOSIT)
    assert again.id == first.id and Transfer.objects.count() == 1
    assert balance(account_for(Purpose.DEPOSITS_HELD, "USD")).credits_posted == Decimal("49.00")


def test_the_same_key_for_a_different_request_is_refused_and_moves_nothing():
    transfer_post(key="deposit-1", amount="49.00", **DEPOSIT)
    with pytest.raises(AppError) as refused:
        transfer_post(key="deposit-1", amount="59.00", **DEPOSIT)
    assert refused.value.code == "idempotency-key-reused" and refused.value.zh
    assert Transfer.objects.count() == 1
    assert balance(account_for(Purpose.DEPOSITS_HELD, "USD")).credits_posted == Decimal("49.00")


@pytest.mark.parametrize("change, code", [
    ({"amount": "1e26"}, "invalid-amount"),
    ({"amount": "10000000000"}, "amount-too-large"),
    ({"amount": "NaN"}, "invalid-amount"),
    ({"amount": "-5"}, "negative-amount"),
    ({"amount": "0"}, "amount-zero"),
    ({"amount": "0.001"}, "amount-too-precise"),
    ({"amount": ["49.00"]}, "invalid-amount"),
    ({"amount": 49.0}, "invalid-amount"),
    ({"currency": "XYZ"}, "unknown-currency"),
    ({"key": ""}, "invalid-idempotency-key"),
    ({"key": "k" * 129}, "invalid-idempotency-key"),
    ({"key": ["deposit-1"]}, "invalid-idempotency-key"),
    ({"effective_on": dt.date(9999, 12, 31)}, "date-out-of-range"),
    ({"effective_on": "2026-11-30"}, "invalid-date"),
    ({"credit": Purpose.PROVIDER_CASH}, "same-account"),
])
def test_bad_input_is_refused_with_its_code_in_both_languages_and_writes_nothing(change, code):
    request = {"key": "deposit-1", "amount": "49.00", **DEPOSIT, **change}
    with pytest.raises(AppError) as refused:
        transfer_post(**request)
    assert refused.value.code == code and refused.value.en and refused.value.zh
    assert not Transfer.objects.exists()
    assert all(a.debits_posted == a.credits_posted == 0 for a in Account.objects.all())


def test_the_database_refuses_a_transfer_between_accounts_of_another_currency():
    usd, cad = account_for(Purpose.PROVIDER_CASH, "USD"), account_for(Purpose.DEPOSITS_HELD, "CAD")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Transfer.objects.create(key="raw", fingerprint="-", kind="posted", debit=usd, credit=cad,
                                amount=Decimal("1.00"), currency="USD", effective_on=DAY, recorded_at=NOW)


def test_the_database_refuses_to_change_a_transfer():
    transfer = transfer_post(key="deposit-1", amount="49.00", **DEPOSIT)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Transfer.objects.filter(id=transfer.id).update(amount=Decimal("1.00"))
    assert Transfer.objects.get(id=transfer.id).amount == Decimal("49.00")


@pytest.mark.postgres_only
def test_postgresql_refuses_to_delete_a_transfer():
    transfer = transfer_post(key="deposit-1", amount="49.00", **DEPOSIT)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_transfer WHERE id = %s", [transfer.id])
    assert Transfer.objects.filter(id=transfer.id).exists()

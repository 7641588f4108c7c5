"""Payments taken at the counter: a ledger transfer from the provider's cash to what the
customer owes, under the case number; once per request key; never above what is owed; and only
by the roles the table lets take one."""

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.accounts.roles import ACTIONS
from aftersales.billing.case_money import case_money
from aftersales.billing.charges import charge_due, storage_leg
from aftersales.billing.models import ChargeKind
from aftersales.core.errors import AppError, Forbidden, NotFound
from aftersales.core.testing import ROLE_NAMES, role_user
from aftersales.ledger.models import Purpose, Transfer
from aftersales.ledger.selectors import balance
from aftersales.ledger.services import account_for
from aftersales.repairs.conftest import NOW
from aftersales.repairs.payments import payment_take

PAID_AT = NOW + dt.timedelta(hours=2)


@pytest.fixture
def owing(booked):
    """A case on which the customer owes 80.00 CNY."""
    charge_due(case=booked, kind=ChargeKind.STORAGE, legs=[storage_leg(booked.number, Decimal("80.00"))],
               currency="CNY", now=NOW, text_en="Storage.", text_zh="保管费。")
    return booked


def pay(case, actor, amount="80.00", key="form-1", **overrides):
    request = {"number": case.number, "amount": amount, "currency": "CNY", "method": "cash", "key": key,
               "actor": actor, "now": PAID_AT, **overrides}
    return payment_take(**request)


def test_a_cash_payment_at_the_counter_settles_what_the_case_owes(owing, staff):
    # when the customer pays the 80.00 they owe in cash
    transfer = pay(owing, staff)
    # then the provider's cash holds it, the receivable is settled, and the case owes nothing
    assert (transfer.debit.purpose, transfer.credit.purpose, transfer.reference) == (
        "provider-cash", "receivable", owing.number)
    assert balance(account_for(Purpose.PROVIDER_CASH, "CNY")).debit_posted_net == Decimal("80.00")
    [money] = case_money(owing.number)
    assert (money.charged, money.paid, money.owed) == (Decimal("80.00"), Decimal("80.00"), Decimal("0.00"))


def test_a_part_payment_leaves_the_rest_owed(owing, staff):
    pay(owing, staff, amount="30.00", method="card")
    assert [(m.paid, m.owed) for m in case_money(owing.number)] == [(Decimal("30.00"), Decimal("50.00"))]


def test_the_same_form_posted_twice_records_one_payment(owing, staff):
    first = pay(owing, staff)
    again = pay(owing, staff)  # a double click: the case now owes nothing, and the retry is answered as before
    assert again.id == first.id and Transfer.objects.filter(credit__purpose="receivable").count() == 1
    assert case_money(owing.number)[0].paid == Decimal("80.00")


@pytest.mark.parametrize("overrides, code", [
    ({"amount": "80.01"}, "payment-above-owed"),
    ({"amount": "0"}, "amount-zero"),
    ({"amount": "-5"}, "negative-amount"),
    ({"amount": "eighty"}, "invalid-amount"),
    ({"method": "cheque"}, "unknown-payment-method"),
    ({"currency": "USD"}, "nothing-owed"),
    ({"currency": "EUR"}, "unknown-currency"),
    ({"key": ""}, "invalid-idempotency-key"),
    ({"key": "k" * 65}, "invalid-idempotency-key"),
])
def test_a_bad_payment_is_refused_in_both_languages_and_moves_nothing(owing, staff, overrides, code):
    with pytest.raises(AppError) as refused:
        pay(owing, staff, **overrides)
    assert refused.value.code == code and refused.value.en and refused.value.zh
    assert not Transfer.objects.filter(credit__purpose="receivable").exists()
    assert case_money(owing.number)[0].owed == Decimal("80.00")


def test_a_person_of_another_centre_is_told_there_is_no_such_case(owing, db):
    from aftersales.centres.models import ServiceCentre

    beijing = ServiceCentre.objects.create(code="bj-01", name_en="Beijing", name_zh="北京", region="CN",
                                           city="Beijing", timezone="Asia/Shanghai")
    with pytest.raises(NotFound):
        pay(owing, role_user("staff", username="bj-clerk", centres=[beijing]))
    assert case_money(owing.number)[0].paid == 0


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_only_the_roles_the_table_allows_may_record_a_payment(owing, centre, role):
    # given someone in the role, working at the case's centre
    user = role_user(role, username=f"{role}-pays", centres=[centre])
    # when they record a payment
    try:
        pay(owing, user)
        outcome = "done"
    except Forbidden:
        outcome = "forbidden"
    # then exactly the roles the table leaves out are refused, and they move nothing
    assert outcome == ("done" if role in ACTIONS["payment.take"] else "forbidden")
    assert case_money(owing.number)[0].paid == (Decimal("80.00") if outcome == "done" else 0)
    assert (outcome == "done") == (role == "staff")  # the table today: staff at the counter, nobody else

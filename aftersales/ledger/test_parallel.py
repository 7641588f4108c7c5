"""Ten identical money requests at the same moment make one movement (PostgreSQL, real
connections in parallel); ten different requests with one key make one movement and nine
refusals; ten resolutions of one hold make one; transfers both ways between two accounts at once
all go through, none waiting on another for ever."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.core.testing import at_once
from aftersales.ledger.models import Purpose, Transfer
from aftersales.ledger.selectors import balance
from aftersales.ledger.services import account_for, hold_place, hold_post, transfer_post

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
DAY = NOW.date()



def deposit(key: str, amount: str):
    return transfer_post(key=key, debit=Purpose.PROVIDER_CASH, credit=Purpose.DEPOSITS_HELD, amount=amount,
                         currency="USD", effective_on=DAY, now=NOW)


def opened():
    for purpose in (Purpose.PROVIDER_CASH, Purpose.DEPOSITS_HELD):
        account_for(purpose, "USD")


def test_ten_identical_parallel_requests_make_exactly_one_movement():
    opened()
    outcomes = at_once(lambda i: deposit("deposit-1", "49.00").id)
    assert len(outcomes) == 10 and {kind for kind, _ in outcomes} == {"done"}
    assert len({transfer for _, transfer in outcomes}) == 1
    assert Transfer.objects.count() == 1
    assert balance(account_for(Purpose.DEPOSITS_HELD, "USD")).credits_posted == Decimal("49.00")


def test_ten_different_requests_under_one_key_make_one_movement_and_nine_refusals():
    opened()
    outcomes = at_once(lambda i: deposit("deposit-1", f"{40 + i}.00").id)
    assert sorted(kind for kind, _ in outcomes) == ["done"] + ["refused"] * 9
    assert {code for kind, code in outcomes if kind == "refused"} == {"idempotency-key-reused"}
    assert Transfer.objects.count() == 1


def test_ten_posts_of_one_hold_under_different_keys_resolve_it_once():
    opened()
    held = hold_place(key="hold-1", debit=Purpose.PROVIDER_CASH, credit=Purpose.DEPOSITS_HELD, amount="100.00",
                      currency="USD", timeout_at=None, effective_on=DAY, now=NOW)
    outcomes = at_once(lambda i: hold_post(key=f"post-{i}", hold=held.id, amount="60.00", effective_on=DAY,
                                           now=NOW).id)
    assert sorted(kind for kind, _ in outcomes) == ["done"] + ["refused"] * 9
    assert {code for kind, code in outcomes if kind == "refused"} == {"hold-already-resolved"}
    b = balance(account_for(Purpose.DEPOSITS_HELD, "USD"))
    assert (b.credits_pending, b.credits_posted) == (Decimal("0.00"), Decimal("60.00"))


def test_ten_transfers_at_once_between_two_accounts_either_way_round_all_go_through():
    opened()
    ways = [(Purpose.PROVIDER_CASH, Purpose.DEPOSITS_HELD), (Purpose.DEPOSITS_HELD, Purpose.PROVIDER_CASH)]

    def move(i):
        debit, credit = ways[i % 2]
        for n in range(5):
            transfer_post(key=f"move-{i}-{n}", debit=debit, credit=credit, amount="1.00", currency="USD",
                          effective_on=DAY, now=NOW)
        return Transfer.objects.get(key=f"move-{i}-4").id

    outcomes = at_once(move)
    assert [kind for kind, _ in outcomes] == ["done"] * 10 and Transfer.objects.count() == 50
    b = balance(account_for(Purpose.DEPOSITS_HELD, "USD"))
    assert (b.debits_posted, b.credits_posted) == (Decimal("25.00"), Decimal("25.00"))

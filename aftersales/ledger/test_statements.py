"""What a money movement costs the database, pinned statement by statement, so that it cannot
creep back up: a transfer or a hold is one INSERT and one UPDATE on PostgreSQL (SQLite reads the
two accounts between them, to add in Decimal); a post reads its hold first; a retry is the INSERT
that writes nothing and the read of the first transfer. Inside the caller's transaction, none of
them opens a savepoint."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.ledger.models import Purpose
from aftersales.ledger.services import account_for, hold_place, hold_post, transfer_post

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
DEPOSIT = {"debit": Purpose.PROVIDER_CASH, "credit": Purpose.DEPOSITS_HELD, "currency": "USD",
           "effective_on": NOW.date(), "now": NOW}
# The statements each operation sends, by their first word, per database.
EXPECTED = {
    "postgresql": {"transfer": ["INSERT", "UPDATE"], "hold post": ["SELECT", "INSERT", "UPDATE"],
                   "retry": ["INSERT", "SELECT"]},
    "sqlite": {"transfer": ["INSERT", "SELECT", "UPDATE"], "hold post": ["SELECT", "INSERT", "SELECT", "UPDATE"],
               "retry": ["INSERT", "SELECT"]},
}


@pytest.fixture
def opened():
    for purpose in (Purpose.PROVIDER_CASH, Purpose.DEPOSITS_HELD):
        account_for(purpose, "USD")


def sent(action) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        action()
    return [query["sql"].split(None, 1)[0].upper() for query in captured.captured_queries]


def test_a_transfer_between_open_accounts_is_one_insert_and_one_update(opened):
    statements = sent(lambda: transfer_post(key="deposit-1", amount="49.00", **DEPOSIT))
    assert statements == EXPECTED[connection.vendor]["transfer"]


def test_placing_a_hold_costs_what_a_transfer_costs(opened):
    statements = sent(lambda: hold_place(key="hold-1", amount="100.00", timeout_at=None, **DEPOSIT))
    assert statements == EXPECTED[connection.vendor]["transfer"]


def test_posting_a_hold_reads_the_hold_then_inserts_and_updates_once(opened):
    held = hold_place(key="hold-1", amount="100.00", timeout_at=None, **DEPOSIT)
    statements = sent(lambda: hold_post(key="post-1", hold=held.id, amount="60.00", effective_on=NOW.date(),
                                        now=NOW))
    assert statements == EXPECTED[connection.vendor]["hold post"]


def test_a_retry_writes_nothing_and_reads_the_first_transfer_once(opened):
    transfer_post(key="deposit-1", amount="49.00", **DEPOSIT)
    statements = sent(lambda: transfer_post(key="deposit-1", amount="49.00", **DEPOSIT))
    assert statements == EXPECTED[connection.vendor]["retry"]

"""Holds, as TigerBeetle's two-phase transfers: reserved, then posted in full or in part (the rest
released), voided, or expired at the timeout — each hold exactly once; and balances as of any
moment. Figures worked by hand: a 100.00 USD deposit hold."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.core.errors import AppError
from aftersales.ledger.models import Kind, Purpose, Transfer
from aftersales.ledger.selectors import balance, balance_as_of
from aftersales.ledger.services import account_for, hold_place, hold_post, hold_void, holds_expire

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
DAY = NOW.date()
TIMEOUT = NOW + dt.timedelta(days=14)


def hold(key="hold-1", amount="100.00", timeout_at=TIMEOUT) -> Transfer:
    return hold_place(key=key, debit=Purpose.PROVIDER_CASH, credit=Purpose.DEPOSITS_HELD, amount=amount,
                      currency="USD", timeout_at=timeout_at, effective_on=DAY, now=NOW, reference="R7KM9Q2T5WX4")


def figures(purpose) -> tuple[str, str, str, str]:
    b = balance(account_for(purpose, "USD"))
    return str(b.debits_pending), str(b.debits_posted), str(b.credits_pending), str(b.credits_posted)


def test_a_hold_reserves_its_amount_as_pending_on_both_accounts():
    hold()
    assert figures(Purpose.PROVIDER_CASH) == ("100.00", "0.00", "0.00", "0.00")
    assert figures(Purpose.DEPOSITS_HELD) == ("0.00", "0.00", "100.00", "0.00")


def test_posting_part_of_a_hold_moves_that_part_and_releases_the_rest():
    held = hold()
    hold_post(key="post-1", hold=held.id, amount="60.00", effective_on=DAY, now=NOW + dt.timedelta(days=1))
    assert figures(Purpose.PROVIDER_CASH) == ("0.00", "60.00", "0.00", "0.00")
    assert figures(Purpose.DEPOSITS_HELD) == ("0.00", "0.00", "0.00", "60.00")


def test_posting_without_an_amount_moves_the_whole_hold():
    held = hold()
    hold_post(key="post-1", hold=held.id, effective_on=DAY, now=NOW)
    assert figures(Purpose.DEPOSITS_HELD) == ("0.00", "0.00", "0.00", "100.00")


def test_voiding_a_hold_releases_it_and_moves_nothing():
    held = hold()
    hold_void(key="void-1", hold=held.id, effective_on=DAY, now=NOW)
    assert figures(Purpose.PROVIDER_CASH) == ("0.00", "0.00", "0.00", "0.00")
    assert figures(Purpose.DEPOSITS_HELD) == ("0.00", "0.00", "0.00", "0.00")


@pytest.mark.parametrize("first, second", [("post", "post"), ("post", "void"), ("void", "post"), ("void", "void")])
def test_a_hold_is_resolved_once_and_a_second_resolution_is_a_named_refusal(first, second):
    held = hold()
    act = {"post": hold_post, "void": hold_void}
    act[first](key="first", hold=held.id, effective_on=DAY, now=NOW)
    before = figures(Purpose.DEPOSITS_HELD)
    with pytest.raises(AppError) as refused:
        act[second](key="second", hold=held.id, effective_on=DAY, now=NOW)
    assert refused.value.code == "hold-already-resolved"
    assert refused.value.en == f"This hold was already {'posted' if first == 'post' else 'voided'}."
    assert figures(Purpose.DEPOSITS_HELD) == before
    assert Transfer.objects.filter(pending=held).count() == 1


def test_a_retried_post_with_its_own_key_returns_the_first_post():
    held = hold()
    first = hold_post(key="post-1", hold=held.id, amount="60.00", effective_on=DAY, now=NOW)
    again = hold_post(key="post-1", hold=held.id, amount="60.00", effective_on=DAY, now=NOW)
    assert again.id == first.id
    assert figures(Purpose.DEPOSITS_HELD) == ("0.00", "0.00", "0.00", "60.00")


def test_posting_more_than_is_held_is_refused():
    held = hold()
    with pytest.raises(AppError) as refused:
        hold_post(key="post-1", hold=held.id, amount="100.01", effective_on=DAY, now=NOW)
    assert refused.value.code == "post-above-hold"
    assert figures(Purpose.DEPOSITS_HELD) == ("0.00", "0.00", "100.00", "0.00")


def test_a_hold_expires_at_its_timeout_once_however_often_the_sweep_runs():
    held = hold()
    assert holds_expire(now=TIMEOUT - dt.timedelta(seconds=1)) == 0
    assert holds_expire(now=TIMEOUT) == 1
    assert holds_expire(now=TIMEOUT + dt.timedelta(hours=1)) == 0
    assert Transfer.objects.get(pending=held).kind == Kind.EXPIRE
    assert figures(Purpose.DEPOSITS_HELD) == ("0.00", "0.00", "0.00", "0.00")


def test_a_hold_past_its_timeout_can_no_longer_be_posted():
    held = hold()
    with pytest.raises(AppError) as refused:
        hold_post(key="post-1", hold=held.id, effective_on=DAY, now=TIMEOUT)
    assert refused.value.code == "hold-expired"
    assert not Transfer.objects.filter(pending=held).exists()


def test_a_hold_cannot_time_out_before_it_is_placed():
    with pytest.raises(AppError) as refused:
        hold(timeout_at=NOW)
    assert refused.value.code == "hold-timeout-past" and not Transfer.objects.exists()


def test_an_unknown_hold_is_not_found():
    with pytest.raises(AppError) as refused:
        hold_void(key="void-1", hold=424242, effective_on=DAY, now=NOW)
    assert refused.value.code == "hold-not-found"


def test_balances_as_of_a_moment_count_only_what_was_recorded_by_then():
    held = hold()
    hold_post(key="post-1", hold=held.id, amount="60.00", effective_on=DAY, now=NOW + dt.timedelta(days=2))
    account = account_for(Purpose.DEPOSITS_HELD, "USD")
    before, between, after = (balance_as_of(account, NOW - dt.timedelta(seconds=1)),
                              balance_as_of(account, NOW + dt.timedelta(days=1)),
                              balance_as_of(account, NOW + dt.timedelta(days=3)))
    assert (before.credits_pending, before.credits_posted) == (Decimal("0.00"), Decimal("0.00"))
    assert (between.credits_pending, between.credits_posted) == (Decimal("100.00"), Decimal("0.00"))
    assert (after.credits_pending, after.credits_posted) == (Decimal("0.00"), Decimal("60.00"))


def test_holds_of_a_cent_and_two_units_voided_leave_exactly_nothing_pending():
    # 0.01 + 2.00 − 2.00 − 0.01 is not zero in binary floating point: the figures are Decimal
    small, large = hold("hold-1", "0.01"), hold("hold-2", "2.00")
    hold_void(key="void-2", hold=large.id, effective_on=DAY, now=NOW)
    hold_void(key="void-1", hold=small.id, effective_on=DAY, now=NOW)
    assert figures(Purpose.PROVIDER_CASH) == ("0.00", "0.00", "0.00", "0.00")
    assert figures(Purpose.DEPOSITS_HELD) == ("0.00", "0.00", "0.00", "0.00")

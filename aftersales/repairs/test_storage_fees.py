"""Storage fees and the storage steps as pure rules: no database, no clock.

Day 0 is the day the case became ready; with 60 free days, days 0–59 are free, fees begin on
day 60, and the day the device leaves is never charged."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales.core.money import Money
from aftersales.notifications.compose import Words
from aftersales.policy.pack import Storage
from aftersales.repairs.rules.storage import Step, fee_days, first_fee_day, storage_fee
from aftersales.repairs.status import Status
from aftersales.repairs.storage import Terms, step_due

STORAGE = Storage(keep_days=60, daily_fee=Decimal("5.00"), review_after_days=30, clause="storage")
READY = dt.date(2025, 3, 3)


def day(n: int) -> dt.date:
    return READY + dt.timedelta(days=n)


@pytest.mark.parametrize("collected_on_day, fee", [
    (0, "0.00"),      # collected the day it was ready
    (40, "0.00"),
    (59, "0.00"),     # last free day
    (60, "0.00"),     # the day fees begin: that day is the collection day, not charged
    (61, "5.00"),     # day 60 charged
    (62, "10.00"),
    (90, "150.00"),   # days 60..89
    (365, "1525.00"),
])
def test_the_first_sixty_days_are_free_then_five_yuan_a_day_not_counting_the_day_of_collection(
        collected_on_day, fee):
    assert storage_fee(READY, day(collected_on_day), STORAGE, "CNY") == Money(fee, "CNY")


def test_a_customer_collecting_on_the_day_fees_begin_pays_nothing_and_a_day_later_pays_one_day():
    assert first_fee_day(READY, STORAGE) == day(60) == dt.date(2025, 5, 2)
    assert storage_fee(READY, day(60), STORAGE, "CNY") == Money.zero("CNY")
    assert storage_fee(READY, day(61), STORAGE, "CNY") == Money("5.00", "CNY")


def test_a_second_notice_sent_late_moves_the_first_fee_day_to_the_day_it_was_sent():
    assert first_fee_day(READY, STORAGE, stored_since=day(70)) == day(70)
    assert storage_fee(READY, day(70), STORAGE, "CNY", stored_since=day(70)) == Money.zero("CNY")
    assert storage_fee(READY, day(72), STORAGE, "CNY", stored_since=day(70)) == Money("10.00", "CNY")


def test_moving_to_storage_early_never_brings_fees_forward():
    assert first_fee_day(READY, STORAGE, stored_since=day(10)) == day(60)
    assert fee_days(READY, day(30), STORAGE, stored_since=day(10)) == 0


def test_fees_are_in_the_currency_asked_for():
    assert storage_fee(READY, day(61), Storage(60, Decimal("1.00"), 30, "storage"), "USD") == Money("1.00", "USD")


@given(ready=st.dates(min_value=dt.date(2011, 1, 1), max_value=dt.date(2040, 1, 1)),
       keep=st.integers(min_value=1, max_value=365),
       fee=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000"), places=2),
       early=st.integers(min_value=-30, max_value=800), later=st.integers(min_value=0, max_value=800),
       stored_after=st.none() | st.integers(min_value=0, max_value=400))
def test_fees_never_decrease_as_time_passes_and_are_whole_days(ready, keep, fee, early, later, stored_after):
    storage = Storage(keep, fee, 30, "storage")
    stored = None if stored_after is None else ready + dt.timedelta(days=stored_after)
    first = storage_fee(ready, ready + dt.timedelta(days=early), storage, "CNY", stored_since=stored)
    second = storage_fee(ready, ready + dt.timedelta(days=early + later), storage, "CNY", stored_since=stored)
    assert Money.zero("CNY") <= first <= second
    for money in (first, second):
        assert money.amount % fee == 0
    assert second - first == Money(fee, "CNY") * (
        fee_days(ready, ready + dt.timedelta(days=early + later), storage, stored_since=stored)
        - fee_days(ready, ready + dt.timedelta(days=early), storage, stored_since=stored))


def step(status, today, stored_since=None, fees_told=False):
    terms = Terms("cn-desktop@1", STORAGE, "CNY", Words("", ""), READY, stored_since)
    return step_due(status=status, today=today, terms=terms, fees_told=fees_told)


def test_a_ready_device_is_reminded_about_on_day_sixty_not_before():
    assert step(Status.READY, day(59)) == Step.WAIT
    assert step(Status.READY, day(60)) == Step.REMIND
    assert step(Status.READY, day(75)) == Step.REMIND  # a late timer still acts


def test_a_stored_device_gets_the_fees_notice_the_next_day_once_and_disposal_review_thirty_days_on():
    stored = day(60)
    assert step(Status.IN_STORAGE, day(60), stored) == Step.WAIT
    assert step(Status.IN_STORAGE, day(61), stored) == Step.FEES_STARTED
    assert step(Status.IN_STORAGE, day(61), stored, fees_told=True) == Step.WAIT
    assert step(Status.IN_STORAGE, day(89), stored, fees_told=True) == Step.WAIT
    assert step(Status.IN_STORAGE, day(90), stored, fees_told=True) == Step.REVIEW
    assert step(Status.IN_STORAGE, day(90), stored, fees_told=False) == Step.REVIEW


@pytest.mark.parametrize("status", [Status.COLLECTED, Status.SHIPPED, Status.DISPOSAL_REVIEW, Status.QA])
def test_nothing_is_due_for_a_device_that_left_or_is_already_under_review(status):
    assert step(status, day(400), day(60)) == Step.WAIT

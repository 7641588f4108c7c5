"""Period arithmetic (SPEC, Dates): worked examples and properties."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from aftersales.warranty.rules.dates import add_months, period_end

D = dt.date.fromisoformat
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))
months = st.integers(min_value=0, max_value=120)


def test_a_36_month_period_ends_the_day_before_the_same_date_three_years_on():
    assert period_end(D("2023-03-15"), 36) == D("2026-03-14")


def test_adding_a_month_to_the_31st_of_january_clamps_to_the_end_of_february():
    assert add_months(D("2023-01-31"), 1) == D("2023-02-28")
    assert add_months(D("2024-01-31"), 1) == D("2024-02-29")


def test_a_one_month_period_from_the_31st_of_january_ends_on_the_27th_or_28th_of_february():
    assert period_end(D("2023-01-31"), 1) == D("2023-02-27")
    assert period_end(D("2024-01-31"), 1) == D("2024-02-28")


def test_a_zero_month_period_covers_nothing():
    assert period_end(D("2024-05-01"), 0) == D("2024-04-30")


@given(days, months)
def test_add_months_moves_exactly_that_many_calendar_months(day, n):
    later = add_months(day, n)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == n
    assert later.day <= day.day


@given(days, months)
def test_a_longer_period_never_ends_earlier(day, n):
    assert period_end(day, n + 1) >= period_end(day, n)


@given(days, st.integers(min_value=1, max_value=120))
def test_a_period_of_one_month_or_more_covers_its_start_day(day, n):
    assert period_end(day, n) >= day


@given(days, months)
def test_period_end_is_the_day_before_add_months(day, n):
    assert period_end(day, n) + dt.timedelta(days=1) == add_months(day, n)


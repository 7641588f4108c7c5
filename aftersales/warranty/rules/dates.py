"""Period arithmetic.

A period of N months from start S covers S through add_months(S, N) − 1 day, where add_months
clamps to the last day of the month (31 Jan + 1 month = 28/29 Feb). A period of 0 months
covers nothing: it ends the day before it starts.
"""

from __future__ import annotations

import calendar
import datetime as dt

_ONE_DAY = dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    y, m0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(y, m0 + 1)[1]
    return dt.date(y, m0 + 1, min(day.day, last))


def period_end(start: dt.date, months: int) -> dt.date:
    """The last day a period of ``months`` months from ``start`` covers."""
    return add_months(start, months) - _ONE_DAY


def within(day: dt.date, start: dt.date, end: dt.date) -> bool:
    return start <= day <= end


def parse_iso_date(value) -> dt.date:
    """Parse ``YYYY-MM-DD`` strictly; raise ValueError for anything else (2023-02-30 included)."""
    if isinstance(value, dt.datetime):
        raise ValueError("a date, not a timestamp")
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or len(value) != 10 or value[4] != "-" or value[7] != "-":
        raise ValueError(f"not a YYYY-MM-DD date: {value!r}")
    return dt.date.fromisoformat(value)

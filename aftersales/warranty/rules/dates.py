"""Period arithmetic.

A period of N months from start S covers S through add_months(S, N) − 1 day, where add_months
clamps to the last day of the month (31 Jan + 1 month = 28/29 Feb). A period of 0 months
covers nothing: it ends the day before it starts.
"""

from __future__ import annotations

import calendar
import datetime as dt

_ONE_DAY = dt.timedelta(days=1)


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: dt.date, months: int) -> dt.date:
    y, m0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = 29 if m0 == 1 and calendar.isleap(y) else _DAYS_IN_MONTH[m0]
    return dt.date(y, m0 + 1, min(day.day, last))


_CACHE_LIMIT = 200_000


class Memo(dict):
    """A dictionary that fills itself: ``memo[key]`` is ``build(key)``, made on first use and
    kept (all forgotten at once past ``limit`` entries). A look-up is one subscript: the hot
    paths of a batch read these millions of times."""

    __slots__ = ("build", "limit")

    def __init__(self, build, limit: int = _CACHE_LIMIT):
        super().__init__()
        self.build, self.limit = build, limit

    def __missing__(self, key):
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.build(key)
        return value


_parse_cache: dict[str, dt.date] = {}
ISO = Memo(dt.date.isoformat)  # day -> "YYYY-MM-DD"
ISO_BYTES = Memo(lambda day: ISO[day].encode())  # day -> b"YYYY-MM-DD"
# months -> start -> the period's last day
_ENDS = Memo(lambda months: Memo(lambda start: add_months(start, months) - _ONE_DAY), limit=10_000)


def period_end(start: dt.date, months: int) -> dt.date:
    """The last day a period of ``months`` months from ``start`` covers (memoised: batches ask
    for the same few thousand start dates again and again)."""
    return _ENDS[months][start]


def period_ends(months: int) -> Memo:
    """``period_end(start, months)`` by start, for one number of months: ``period_ends(m)[start]``
    (what ``Terms`` keeps for its group's length, read by one subscript)."""
    return _ENDS[months]


def iso(day: dt.date) -> str:
    """``day.isoformat()``, memoised."""
    return ISO[day]


def iso_bytes(day: dt.date) -> bytes:
    """``day.isoformat()`` as ASCII bytes, memoised."""
    return ISO_BYTES[day]


def parse_iso_date(value) -> dt.date:
    """Parse ``YYYY-MM-DD`` strictly; raise ValueError for anything else (2023-02-30 included)."""
    if type(value) is str:
        day = _parse_cache.get(value)
        if day is not None:
            return day
        if len(value) != 10 or value[4] != "-" or value[7] != "-":
            raise ValueError(f"not a YYYY-MM-DD date: {value!r}")
        day = dt.date.fromisoformat(value)
        if len(_parse_cache) > _CACHE_LIMIT:
            _parse_cache.clear()
        _parse_cache[value] = day
        return day
    if isinstance(value, dt.datetime):
        raise ValueError("a date, not a timestamp")
    if isinstance(value, dt.date):
        return value
    raise ValueError(f"not a YYYY-MM-DD date: {value!r}")

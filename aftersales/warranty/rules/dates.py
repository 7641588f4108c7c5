"""Period arithmetic, and the one kind of memo the warranty code keeps.

A period of N months from start S covers S through add_months(S, N) − 1 day, where add_months
clamps to the last day of the month (31 Jan + 1 month = 28/29 Feb). A period of 0 months
covers nothing: it ends the day before it starts.
"""

from __future__ import annotations

import calendar
import datetime as dt

ONE_DAY = dt.timedelta(days=1)
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: dt.date, months: int) -> dt.date:
    y, m0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = 29 if m0 == 1 and calendar.isleap(y) else _DAYS_IN_MONTH[m0]
    return dt.date(y, m0 + 1, min(day.day, last))


def period_end(start: dt.date, months: int) -> dt.date:
    """The last day a period of ``months`` months from ``start`` covers."""
    return add_months(start, months) - ONE_DAY


class Memo(dict):
    """A dictionary that fills itself: ``memo[key]`` is ``build(key)``, made on first use and
    kept (all forgotten at once past ``limit`` entries). Whoever makes a memo owns it and is the
    only one to read it; a look-up is one subscript."""

    __slots__ = ("build", "limit")

    def __init__(self, build, limit: int = 200_000):
        super().__init__()
        self.build, self.limit = build, limit

    def __missing__(self, key):
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.build(key)
        return value

"""The one replaceable clock. Read it once per operation and pass the value down.

Tests replace it with ``clock.frozen(...)``; nothing else in the code calls ``datetime.now``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from zoneinfo import ZoneInfo

_override: dt.datetime | None = None


def now() -> dt.datetime:
    """The current instant, aware, in UTC."""
    if _override is not None:
        return _override
    return dt.datetime.now(dt.timezone.utc)


def today_in(tz_name: str) -> dt.date:
    """The calendar date it is now in the given time zone (a region's dates are local dates)."""
    return now().astimezone(ZoneInfo(tz_name)).date()


@contextlib.contextmanager
def frozen(instant: dt.datetime):
    """Pin the clock to ``instant`` (aware) for the duration of the block."""
    global _override
    if instant.tzinfo is None:
        raise ValueError("frozen() needs an aware datetime")
    previous, _override = _override, instant
    try:
        yield instant
    finally:
        _override = previous

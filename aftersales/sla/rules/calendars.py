"""Calendars: which instants count towards a service-level target.

A calendar is a set of instants. ``Calendar.always()`` counts every instant, day and night (the
"calendar days" of a policy: a week is 168 hours of elapsed time). A business calendar counts
the instants whose local time, in the centre's time zone, falls inside its opening hours on a
working day: an open weekday that is not a public holiday, or a weekend day the holiday list
makes a working day instead of a holiday.

Local time is read from the zone, never worked out by adding hours: across a change to or from
daylight saving time, an opening at 09:00 is 09:00 on the wall clock on both sides of it. When
the clocks go back, an hour of local time happens twice, and both count if the centre is open
then; when they go forward, the skipped hour does not exist and nothing counts in it.

Times are aware datetimes in UTC; amounts of counted time are whole seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

UTC = dt.timezone.utc
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
SECOND = dt.timedelta(seconds=1)
# A budget that does not run out within this long never will: a calendar without opening hours.
HORIZON = dt.timedelta(days=3 * 366)

Span = tuple[dt.datetime, dt.datetime]  # [start, end) in UTC


class NeverOpen(ValueError):
    """The calendar has no counted time within the horizon, so a budget never runs out."""


@dataclass(frozen=True)
class Calendar:
    """``hours``: the opening spans of a working day as (from, until) minutes after local midnight,
    until at most 1440; None counts every instant. ``open_days``: working weekdays (Monday 0).
    ``days_off`` and ``extra_days``: local dates closed although open by weekday, and open
    although closed by weekday (both may be a ``holidays`` object)."""

    zone: str = "UTC"
    hours: tuple[tuple[int, int], ...] | None = None
    open_days: frozenset[int] = frozenset(range(7))
    days_off: Container[dt.date] = field(default=frozenset(), hash=False, compare=False)
    extra_days: Container[dt.date] = field(default=frozenset(), hash=False, compare=False)

    @classmethod
    def always(cls) -> Calendar:
        return cls()

    def working(self, day: dt.date) -> bool:
        if day in self.extra_days:
            return True
        return day.weekday() in self.open_days and day not in self.days_off

    def spans(self, since: dt.datetime, until: dt.datetime) -> Iterator[Span]:
        """The counted spans within [since, until), in order, none overlapping."""
        if since >= until:
            return
        if self.hours is None:
            yield since, until
            return
        pending: Span | None = None
        for a, b in self._open_spans(since, until):
            a, b = max(a, since), min(b, until)
            if a >= b:
                continue
            if pending and a <= pending[1]:  # touching or overlapping: one span
                pending = (pending[0], max(pending[1], b))
                continue
            if pending:
                yield pending
            pending = (a, b)
        if pending:
            yield pending

    def _open_spans(self, since: dt.datetime, until: dt.datetime) -> Iterator[Span]:
        """Each piece of constant UTC offset, and within it each working day's hours placed by that
        offset: local time t + offset is a local date and a time of day."""
        for start, end, offset in _pieces(self.zone, since, until):
            first = (start + offset).date()
            last = (end + offset).date()
            day = first
            while day <= last:
                if self.working(day):
                    midnight = dt.datetime.combine(day, dt.time(0), UTC) - offset
                    for a, b in self.hours:
                        lo = max(start, midnight + dt.timedelta(minutes=a))
                        hi = min(end, midnight + dt.timedelta(minutes=b))
                        if lo < hi:
                            yield lo, hi
                day += DAY

    def counted(self, since: dt.datetime, until: dt.datetime) -> int:
        """Seconds of counted time in [since, until)."""
        return sum(_seconds(b - a) for a, b in self.spans(since, until))

    def reach(self, since: dt.datetime, amount: int) -> dt.datetime:
        """The moment at which ``amount`` seconds of counted time from ``since`` have run out: the
        earliest t with counted(since, t) == amount. ``amount`` 0 is ``since`` itself."""
        if amount <= 0:
            return since
        left, window = amount, since
        while window < since + HORIZON:
            end = window + dt.timedelta(days=31)
            for a, b in self.spans(window, end):
                length = _seconds(b - a)
                if length >= left:
                    return a + dt.timedelta(seconds=left)
                left -= length
            window = end
        raise NeverOpen(f"no {amount} s of counted time within {HORIZON.days} days of {since.isoformat()}")


def _seconds(delta: dt.timedelta) -> int:
    return delta.days * 86400 + delta.seconds  # events are whole seconds; microseconds dropped


def _pieces(zone: str, since: dt.datetime, until: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime, dt.timedelta]]:
    """[since, until) cut where the zone's UTC offset changes: (start, end, offset) for each piece."""
    cuts = [t for year in range(since.year - 1, until.year + 2) for t in _transitions(zone, year) if since < t < until]
    bounds = [since, *sorted(cuts), until]
    tz = ZoneInfo(zone)
    for a, b in zip(bounds, bounds[1:]):
        yield a, b, a.astimezone(tz).utcoffset()


@lru_cache(maxsize=512)
def _transitions(zone: str, year: int) -> tuple[dt.datetime, ...]:
    """The instants in ``year`` (UTC) at which the zone's offset changes, to the second: every
    hour is sampled, and a change found between two samples is pinned down by halving."""
    tz = ZoneInfo(zone)
    found = []
    t = dt.datetime(year, 1, 1, tzinfo=UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=UTC)
    before = t.astimezone(tz).utcoffset()
    while t < end:
        nxt = t + HOUR
        after = nxt.astimezone(tz).utcoffset()
        if after != before:
            lo, hi = t, nxt  # offset(lo) == before, offset(hi) == after
            while hi - lo > SECOND:
                mid = lo + (hi - lo) // 2
                mid = mid.replace(microsecond=0)
                if mid.astimezone(tz).utcoffset() == before:
                    lo = mid
                else:
                    hi = mid
            found.append(hi)
        t, before = nxt, after
    return tuple(found)

"""Free visit slots from technicians' working time, absences and bookings.

A visit occupies its technician from its start for its ``duration``, and then for the ``travel``
buffer that gets them to the next site: its *blocked* span is [start, start + duration + travel).
Two visits of one technician may not have overlapping blocked spans (the database holds the same
rule). A slot is a start time on the ``step`` grid (from midnight, local time) at which at least
one technician is working for the whole visit and is blocked by nothing for the whole blocked span.

Times are aware datetimes in UTC, where adding an hour is an hour (Python compares and adds
datetimes of one local zone by their wall clocks, which is wrong across a daylight-saving change).
``day_hours`` places a day's local working hours on that day in the centre's zone, then in UTC.
The step grid is counted from midnight UTC: for the zones we serve (offsets in whole hours) and a
step that divides an hour, that is the local grid too.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

Span = tuple[dt.datetime, dt.datetime]  # [start, end)


@dataclass(frozen=True, slots=True)
class Calendar:
    """One technician's time: when they work (absences already taken out) and what is booked."""

    technician: int
    working: tuple[Span, ...]
    blocked: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Slot:
    start: dt.datetime
    technicians: tuple[int, ...]


def day_hours(day: dt.date, hours: list[tuple[dt.time, dt.time]], tz: ZoneInfo) -> list[Span]:
    """A day's local working hours as spans in UTC."""
    return [(dt.datetime.combine(day, a, tz).astimezone(dt.UTC), dt.datetime.combine(day, b, tz).astimezone(dt.UTC))
            for a, b in hours if a < b]


def merge(spans) -> list[Span]:
    """Spans sorted, with those that overlap or touch joined."""
    out: list[Span] = []
    for s0, s1 in sorted(spans):
        if out and s0 <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], s1))
        elif s0 < s1:
            out.append((s0, s1))
    return out


def subtract(spans: list[Span], holes: list[Span]) -> list[Span]:
    """``spans`` with every ``hole`` (an absence) cut out."""
    out = list(spans)
    for h0, h1 in holes:
        cut = []
        for s0, s1 in out:
            if h1 <= s0 or s1 <= h0:
                cut.append((s0, s1))
                continue
            if s0 < h0:
                cut.append((s0, h0))
            if h1 < s1:
                cut.append((h1, s1))
        out = cut
    return out


_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _grid(first: dt.datetime, step: dt.timedelta) -> dt.datetime:
    """The first start on the step grid at or after ``first``."""
    steps = -((_EPOCH - first) // step)  # ceiling division
    return _EPOCH + steps * step


class _Bookings:
    """A technician's blocked spans, asked "is anything blocked in [start, until)?" by bisection."""

    def __init__(self, blocked: tuple[Span, ...]):
        spans = sorted(blocked)
        self.starts = [b0 for b0, _ in spans]
        self.reach = []  # reach[i]: the latest end among the first i + 1 spans
        latest = None
        for _, b1 in spans:
            latest = b1 if latest is None or b1 > latest else latest
            self.reach.append(latest)

    def free(self, start: dt.datetime, until: dt.datetime) -> bool:
        i = bisect.bisect_left(self.starts, until)  # spans starting before ``until``
        return i == 0 or self.reach[i - 1] <= start


def technician_starts(cal: Calendar, duration: dt.timedelta, travel: dt.timedelta,
                      step: dt.timedelta) -> list[dt.datetime]:
    """The grid starts at which this technician works the whole visit and nothing blocks the span."""
    bookings = _Bookings(cal.blocked)
    found = []
    for w0, w1 in merge(cal.working):
        at = _grid(w0, step)
        while at + duration <= w1:
            if bookings.free(at, at + duration + travel):
                found.append(at)
            at += step
    return found


def free_slots(calendars: list[Calendar], *, duration: dt.timedelta, travel: dt.timedelta,
               step: dt.timedelta) -> list[Slot]:
    """Every start at which someone can take the visit, with who, in time order."""
    by_start: dict[dt.datetime, set[int]] = {}
    for cal in calendars:
        for at in technician_starts(cal, duration, travel, step):
            by_start.setdefault(at, set()).add(cal.technician)
    return [Slot(at, tuple(sorted(techs))) for at, techs in sorted(by_start.items())]

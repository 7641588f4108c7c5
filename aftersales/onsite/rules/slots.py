"""Free visit slots from technicians' working time, absences and bookings.

A visit occupies its technician from its start for its ``duration``, and then for the ``travel``
buffer that gets them to the next site: its *blocked* span is [start, start + duration + travel).
Two visits of one technician may not have overlapping blocked spans (the database holds the same
rule). A slot is a start on the ``step`` grid at which at least one technician works for the
whole visit and is blocked by nothing for the whole blocked span.

Time is counted in whole minutes since 1970-01-01 00:00 UTC (``minute``/``moment`` convert): an
hour is always 60 of them, across daylight-saving changes too, and a month of fifty technicians'
calendars is compared as integers. ``day_hours`` places a day's local working hours in the
centre's zone. The step grid is counted from midnight UTC: for the zones we serve (offsets in
whole hours) and a step that divides an hour, that is the local grid as well.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

Span = tuple[int, int]  # [start, end) in minutes since the epoch
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


def minute(at: dt.datetime) -> int:
    """An aware datetime as minutes since the epoch (seconds dropped)."""
    return int((at - EPOCH).total_seconds()) // 60


def moment(minutes: int) -> dt.datetime:
    return EPOCH + minutes * MINUTE


@dataclass(frozen=True, slots=True)
class Calendar:
    """One technician's time: when they work (absences already taken out) and what is booked."""

    technician: int
    working: tuple[Span, ...]
    blocked: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Slot:
    start: int
    technicians: tuple[int, ...]


def day_hours(day: dt.date, hours: list[tuple[dt.time, dt.time]], tz: ZoneInfo) -> list[Span]:
    """A day's local working hours as spans of minutes."""
    return [(minute(dt.datetime.combine(day, a, tz)), minute(dt.datetime.combine(day, b, tz)))
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


def _gaps(blocked: list[Span], since: int):
    """The free stretches between ``blocked`` spans (merged, sorted), from the one holding ``since``."""
    i = bisect.bisect_right(blocked, (since, _FOREVER))
    free_from = blocked[i - 1][1] if i else -_FOREVER
    for b0, b1 in blocked[i:]:
        yield free_from, b0
        free_from = b1
    yield free_from, _FOREVER


_FOREVER = 2 ** 62


def technician_starts(cal: Calendar, duration: int, travel: int, step: int) -> list[int]:
    """The grid starts at which this technician works the whole visit and nothing blocks the span
    (all in minutes): for each working span, the grid points of each free stretch that leave room
    for the visit inside the span and for the visit and its travel inside the stretch."""
    blocked = merge(cal.blocked)
    found: list[int] = []
    for w0, w1 in merge(cal.working):
        for g0, g1 in _gaps(blocked, w0):
            if g0 >= w1:
                break
            first = -(-max(w0, g0) // step) * step  # the first grid minute in both
            last = min(w1 - duration, g1 - duration - travel)
            if first <= last:
                found.extend(range(first, last + 1, step))
    return found


def free_slots(calendars: list[Calendar], *, duration: int, travel: int, step: int) -> list[Slot]:
    """Every start at which someone can take the visit, with who, in time order (minutes)."""
    by_start: dict[int, list[int]] = {}
    for cal in sorted(calendars, key=lambda c: c.technician):
        technician = cal.technician
        for at in technician_starts(cal, duration, travel, step):  # each start once per technician
            found = by_start.get(at)
            if found is None:
                by_start[at] = [technician]
            else:
                found.append(technician)
    return [Slot(at, tuple(by_start[at])) for at in sorted(by_start)]

"""Technicians' calendars for the slot finder, read from the database in a few queries.

A technician works a centre's hours on each day that is a working day where the centre is:
public holidays (the ``holidays`` library, by the centre's region) are days off, and the weekend
days some countries work instead of a holiday use the technician's hours for that weekday, when
they have any. Absences are cut out; live visits block their span.

The visit's shape is ``Plan``: it starts at a slot, the customer is told the technician arrives
within the first ``window``, it takes ``length`` in all, and ``travel`` follows it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import BigIntegerField, Func

from aftersales.centres.models import ServiceCentre
from aftersales.onsite.models import LIVE, Absence, Visit, WorkingHours
from aftersales.onsite.rules.slots import Calendar, Span, day_hours, minute, subtract
from aftersales.policy.visits import VisitTerms


@dataclass(frozen=True, slots=True)
class Plan:
    length: dt.timedelta = dt.timedelta(hours=2)
    window: dt.timedelta = dt.timedelta(hours=1)
    travel: dt.timedelta = dt.timedelta(minutes=30)
    step: dt.timedelta = dt.timedelta(minutes=30)

    def minutes(self) -> dict[str, int]:
        """The finder's arguments, in minutes."""
        return {"duration": self.length // dt.timedelta(minutes=1), "travel": self.travel // dt.timedelta(minutes=1),
                "step": self.step // dt.timedelta(minutes=1)}


PLAN = Plan()


class EpochMinutes(Func):
    """A timestamp column as whole minutes since 1970-01-01 UTC, computed by the database: a month of
    bookings is read as integers, without making a datetime of each."""

    output_field = BigIntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        # unixepoch() (SQLite 3.38) reads a timestamp at half the cost of strftime('%s').
        seconds = "unixepoch(%(expressions)s)" if sqlite3.sqlite_version_info >= (3, 38) else \
            "CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)"
        return self.as_sql(compiler, connection, template=f"({seconds} / 60)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="floor(extract(epoch FROM %(expressions)s) / 60)::bigint",
                           **extra)


class DayMinutes(Func):
    """A time-of-day column as whole minutes after midnight, computed by the database: every
    technician's week is hundreds of rows, most of them alike, and are compared as integers."""

    output_field = BigIntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(CAST(substr(%(expressions)s, 1, 2) AS INTEGER) * 60 "
                           "+ CAST(substr(%(expressions)s, 4, 2) AS INTEGER))", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(extract(hour FROM %(expressions)s) * 60 "
                           "+ extract(minute FROM %(expressions)s))::bigint", **extra)


@lru_cache(maxsize=64)
def _days_off(region: str, year: int):
    import holidays  # here, not at the top: the library takes a fifth of a second to load, and most
    # processes (the command line, the batches) never ask for a holiday

    return holidays.country_holidays(region, years=year)


def working_day(region: str, day: dt.date) -> bool:
    """Not a public holiday where the centre is (weekends are the technician's hours' business)."""
    return day not in _days_off(region, day.year)


def _hours(centre: ServiceCentre, technician: int | None):
    rows = WorkingHours.objects.filter(centre=centre)
    if technician is not None:
        rows = rows.filter(technician_id=technician)
    rows = rows.annotate(a=DayMinutes("starts"), b=DayMinutes("ends")).order_by("technician_id", "weekday", "starts")
    by_tech: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for tech, weekday, starts, ends in _plain_rows(rows.values_list("technician_id", "weekday", "a", "b")):
        by_tech[tech][weekday].append((starts, ends))  # minutes after midnight
    return by_tech


def _plain_rows(query) -> list[tuple]:
    """The rows of a query of integer columns, as the driver returns them: a month of bookings is
    thousands of rows, and they need no conversion."""
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _clip(day: dt.date, tz: ZoneInfo, part: tuple[VisitTerms, bool] | None) -> Span:
    """The minutes of ``day`` a day (or evening) visit can fill: from the evening's start for an
    evening visit, and up to the end of a visit starting at the last start of its part of the day."""
    if part is None:
        return (-(2 ** 62), 2 ** 62)
    terms, evening = part
    tail = (PLAN.length - PLAN.step) // dt.timedelta(minutes=1)
    evening_from = minute(dt.datetime.combine(day, terms.evening_from, tz))
    if evening:
        return evening_from, minute(dt.datetime.combine(day, terms.evening_until, tz)) + tail
    return -(2 ** 62), evening_from + tail


def _day_spans(day: dt.date, hours: tuple[tuple[int, int], ...], tz: ZoneInfo, part) -> list[Span]:
    lo, hi = _clip(day, tz, part)
    times = [(dt.time(a // 60, a % 60), dt.time(b // 60, b % 60)) for a, b in hours]
    return [(max(a, lo), min(b, hi)) for a, b in day_hours(day, times, tz) if a < hi and b > lo]


def calendars(centre: ServiceCentre, first: dt.date, last: dt.date, *, technician: int | None = None,
              ignore_visit: int | None = None, part: tuple[VisitTerms, bool] | None = None) -> list[Calendar]:
    """Each technician of ``centre`` from ``first`` through ``last`` (the centre's local days).
    ``ignore_visit``: a visit being moved, whose own span must not block its new time. ``part``:
    (the visit terms, evening?) to keep only the hours a day or an evening visit can use."""
    tz = ZoneInfo(centre.timezone)
    hours = _hours(centre, technician)
    if not hours:
        return []
    since = dt.datetime.combine(first, dt.time(0), tz)
    until = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tz)
    absences, blocked = defaultdict(list), defaultdict(list)
    for tech, a, b in Absence.objects.filter(technician_id__in=hours, starts_at__lt=until, ends_at__gt=since) \
            .values_list("technician_id", "starts_at", "ends_at"):
        absences[tech].append((minute(a), minute(b)))
    visits = Visit.objects.filter(technician_id__in=hours, status__in=LIVE, starts_at__lt=until,
                                  blocked_until__gt=since - PLAN.length - PLAN.travel)
    if ignore_visit is not None:
        visits = visits.exclude(pk=ignore_visit)
    rows = visits.annotate(a=EpochMinutes("starts_at"), b=EpochMinutes("blocked_until"))
    for tech, a, b in _plain_rows(rows.values_list("technician_id", "a", "b")):
        blocked[tech].append((a, b))
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    days = [d for d in days if working_day(centre.region, d)]
    out, placed = [], {}  # (day, hours) -> spans: most technicians share their hours
    for tech, week in sorted(hours.items()):
        spans = []
        for d in days:
            key = (d, tuple(week.get(d.weekday(), ())))
            if key not in placed:
                placed[key] = _day_spans(d, key[1], tz, part)
            spans += placed[key]
        out.append(Calendar(tech, tuple(subtract(spans, absences[tech])), tuple(blocked[tech])))
    return out

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
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from aftersales.centres.models import ServiceCentre
from aftersales.onsite.models import LIVE, Absence, Visit, WorkingHours
from aftersales.onsite.rules.slots import Calendar, day_hours, subtract


@dataclass(frozen=True, slots=True)
class Plan:
    length: dt.timedelta = dt.timedelta(hours=2)
    window: dt.timedelta = dt.timedelta(hours=1)
    travel: dt.timedelta = dt.timedelta(minutes=30)
    step: dt.timedelta = dt.timedelta(minutes=30)


PLAN = Plan()


@lru_cache(maxsize=64)
def _days_off(region: str, year: int):
    return holidays.country_holidays(region, years=year)


def working_day(region: str, day: dt.date) -> bool:
    """Not a public holiday where the centre is (weekends are the technician's hours' business)."""
    return day not in _days_off(region, day.year)


def _hours(centre: ServiceCentre, technician: int | None):
    rows = WorkingHours.objects.filter(centre=centre)
    if technician is not None:
        rows = rows.filter(technician_id=technician)
    by_tech: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for tech, weekday, starts, ends in rows.values_list("technician_id", "weekday", "starts", "ends"):
        by_tech[tech][weekday].append((starts, ends))
    return by_tech


def calendars(centre: ServiceCentre, first: dt.date, last: dt.date, *, technician: int | None = None,
              ignore_visit: int | None = None) -> list[Calendar]:
    """Each technician of ``centre`` from ``first`` through ``last`` (the centre's local days).
    ``ignore_visit``: a visit being moved, whose own span must not block its new time."""
    tz = ZoneInfo(centre.timezone)
    hours = _hours(centre, technician)
    if not hours:
        return []
    since = dt.datetime.combine(first, dt.time(0), tz)
    until = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tz)
    absences, blocked = defaultdict(list), defaultdict(list)
    for tech, a, b in Absence.objects.filter(technician_id__in=hours, starts_at__lt=until, ends_at__gt=since) \
            .values_list("technician_id", "starts_at", "ends_at"):
        absences[tech].append((a, b))
    visits = Visit.objects.filter(technician_id__in=hours, status__in=LIVE, starts_at__lt=until,
                                  blocked_until__gt=since - PLAN.length - PLAN.travel)
    if ignore_visit is not None:
        visits = visits.exclude(pk=ignore_visit)
    for tech, a, b in visits.values_list("technician_id", "starts_at", "blocked_until"):
        blocked[tech].append((a, b))
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    days = [d for d in days if working_day(centre.region, d)]
    out = []
    for tech, week in sorted(hours.items()):
        spans = [span for d in days for span in day_hours(d, week.get(d.weekday(), []), tz)]
        out.append(Calendar(tech, tuple(subtract(spans, absences[tech])), tuple(blocked[tech])))
    return out

"""The day board's reading: a centre's technicians on one local day, each a row of time slots
with their working hours, absences and visits placed in them.

The columns run in the slot finder's steps from the earliest start to the latest end of the
day's working hours (and of any visit outside them). A visit fills the slots from its start to
its end; the travel after it is not drawn, as the board shows where the technician is. Public
holidays where the centre is are days off for everyone, as for the slot finder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from aftersales.centres.models import ServiceCentre
from aftersales.onsite.calendars import PLAN, working_day
from aftersales.onsite.models import Absence, Visit, VisitStatus, WorkingHours

STEP = PLAN.step
DEFAULT_HOURS = (dt.time(9), dt.time(18))


@dataclass(frozen=True, slots=True)
class Cell:
    kind: str  # "visit", "free", "absent" or "off"
    starts_at: dt.datetime  # local
    span: int = 1
    visit: Visit | None = None


@dataclass(slots=True)
class Row:
    technician: object
    cells: list[Cell] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Board:
    centre: ServiceCentre
    day: dt.date
    holiday: bool
    columns: tuple[dt.datetime, ...]  # the local start of each slot
    rows: tuple[Row, ...]


def _columns(day: dt.date, tz: ZoneInfo, spans: list[tuple[dt.time, dt.time]], visits: list[Visit]):
    local = [(dt.datetime.combine(day, a, tz), dt.datetime.combine(day, b, tz)) for a, b in spans]
    local += [(v.starts_at.astimezone(tz), v.ends_at.astimezone(tz)) for v in visits]
    if not local:
        local = [(dt.datetime.combine(day, DEFAULT_HOURS[0], tz), dt.datetime.combine(day, DEFAULT_HOURS[1], tz))]
    midnight = dt.datetime.combine(day, dt.time(0), tz)
    first = max(midnight, min(a for a, _ in local))
    last = min(midnight + dt.timedelta(days=1), max(b for _, b in local))
    first = midnight + (first - midnight) // STEP * STEP
    count = -(-(last - first) // STEP)
    return tuple(first + n * STEP for n in range(count))


def _cell(at: dt.datetime, hours: list, absences: list, holiday: bool) -> Cell:
    end = at + STEP
    if any(a < end and b > at for a, b in absences):
        return Cell("absent", at)
    working = not holiday and any(a <= at.time() < b for a, b in hours)
    return Cell("free" if working else "off", at)


def _row(technician, columns, hours, absences, visits, holiday: bool) -> Row:
    row, placed, n = Row(technician), set(), 0
    while n < len(columns):
        at = columns[n]
        visit = next((v for v in visits if v.pk not in placed and v.starts_at < at + STEP and v.ends_at > at), None)
        if visit is None:
            row.cells.append(_cell(at, hours, absences, holiday))
            n += 1
            continue
        span = max(1, min(len(columns) - n, -(-(visit.ends_at - at) // STEP)))
        row.cells.append(Cell("visit", at, span, visit))
        placed.add(visit.pk)
        n += span
    return row


def day_board(centre: ServiceCentre, day: dt.date) -> Board:
    """Every technician with working hours at ``centre`` (or a visit of it that day), in name order."""
    tz = ZoneInfo(centre.timezone)
    since = dt.datetime.combine(day, dt.time(0), tz)
    until = since + dt.timedelta(days=1)
    hours = list(WorkingHours.objects.filter(centre=centre).select_related("technician"))
    visits = list(Visit.objects.filter(centre=centre, starts_at__lt=until, ends_at__gt=since)
                  .exclude(status=VisitStatus.CANCELLED).select_related("technician", "city")
                  .prefetch_related("lines__case"))
    people = {h.technician_id: h.technician for h in hours} | {v.technician_id: v.technician for v in visits}
    today = [h for h in hours if h.weekday == day.weekday()]
    holiday = not working_day(centre.region, day)
    absences = {}
    for a in Absence.objects.filter(technician_id__in=people, starts_at__lt=until, ends_at__gt=since):
        absences.setdefault(a.technician_id, []).append((a.starts_at, a.ends_at))
    columns = _columns(day, tz, [] if holiday else [(h.starts, h.ends) for h in today], visits)
    rows = [_row(person, columns, [(h.starts, h.ends) for h in today if h.technician_id == pk],
                 absences.get(pk, []), [v for v in visits if v.technician_id == pk], holiday)
            for pk, person in sorted(people.items(), key=lambda p: (p[1].get_full_name() or p[1].username, p[0]))]
    return Board(centre, day, holiday, columns, tuple(rows))

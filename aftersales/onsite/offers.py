"""The visit times offered to a customer: free starts of a centre's technicians over the next
days, day or evening, each with the arrival window the customer is told. A start is offered from
``NOTICE`` after now, so that someone can plan the trip."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from aftersales.billing.rules.trip import is_evening
from aftersales.centres.models import ServiceCentre
from aftersales.onsite.calendars import PLAN, calendars
from aftersales.onsite.rules.slots import free_slots, moment
from aftersales.policy.visits import VisitTerms

NOTICE = dt.timedelta(hours=2)


@dataclass(frozen=True, slots=True)
class Offered:
    starts_at: dt.datetime  # UTC
    local_start: dt.datetime
    local_arrival_by: dt.datetime
    technicians: tuple[int, ...]


def slots_offered(centre: ServiceCentre, terms: VisitTerms, *, now: dt.datetime, days: int, evening: bool,
                  first: dt.date | None = None) -> list[Offered]:
    """Starts from ``first`` (default: the centre's today) for ``days`` days."""
    tz = ZoneInfo(centre.timezone)
    first = first or now.astimezone(tz).date()
    last = first + dt.timedelta(days=days - 1)
    found = free_slots(calendars(centre, first, last, part=(terms, evening)), **PLAN.minutes())
    offered = []
    for slot in found:
        start = moment(slot.start)
        local = start.astimezone(tz)
        if start < now + NOTICE or is_evening(terms, local.time()) != evening:
            continue
        offered.append(Offered(start, local, (start + PLAN.window).astimezone(tz), slot.technicians))
    return offered

"""The visit times offered to a customer: free starts of a centre's technicians over the next
days, day or evening, each with the arrival window the customer is told. A start is offered from
``NOTICE`` after now, so that someone can plan the trip.

The cyclic garbage collector is paused while the times are worked out (docs/decisions/
onsite-slots-collector-paused.md): a month of a busy centre's calendars is tens of thousands of
short-lived tuples, none in a reference cycle, and the collections they set off (a full one over
every long-lived object of the process every fifty or so offers) made the slow offers.
"""

from __future__ import annotations

import datetime as dt
import gc
from contextlib import contextmanager
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


@contextmanager
def collector_paused():
    """No cyclic collection inside: what is made here is freed by reference counting as it goes,
    so by the time the collector runs again there is next to nothing left for it to look at."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:  # a caller that paused it already resumes it itself
            gc.enable()


def slots_offered(centre: ServiceCentre, terms: VisitTerms, *, now: dt.datetime, days: int, evening: bool,
                  first: dt.date | None = None) -> list[Offered]:
    """Starts from ``first`` (default: the centre's today) for ``days`` days."""
    tz = ZoneInfo(centre.timezone)
    first = first or now.astimezone(tz).date()
    last = first + dt.timedelta(days=days - 1)
    with collector_paused():
        found = free_slots(calendars(centre, first, last, part=(terms, evening)), **PLAN.minutes())
        offered = []
        for slot in found:
            start = moment(slot.start)
            local = start.astimezone(tz)
            if start < now + NOTICE or is_evening(terms, local.time()) != evening:
                continue
            offered.append(Offered(start, local, (start + PLAN.window).astimezone(tz), slot.technicians))
    return offered

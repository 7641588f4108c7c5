"""A target's calendar placed where the work is done: the centre's time zone, its region's public
holidays and the weekend days its region works instead of a holiday (the ``holidays`` library,
as the on-site visit calendars use it)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from aftersales.sla.rules.calendars import Calendar
from aftersales.sla.rules.terms import CalendarTerms


@lru_cache(maxsize=64)
def _year(region: str, year: int):
    import holidays  # loaded when first asked for: it takes a fifth of a second (onsite.calendars)

    days = holidays.country_holidays(region, years=year)
    return frozenset(days), frozenset(getattr(days, "weekend_workdays", ()) or ())


class _Days:
    """The region's holidays (``index`` 0) or make-up working days (1), year by year as asked."""

    def __init__(self, region: str, index: int):
        self.region, self.index = region, index

    def __contains__(self, day: dt.date) -> bool:
        return day in _year(self.region, day.year)[self.index]


def placed(terms: CalendarTerms, *, timezone: str | None, region: str | None) -> Calendar:
    """The calendar a target counts on, for a centre in ``timezone`` and ``region``."""
    if not terms.business:
        return Calendar.always()
    if timezone is None or region is None:
        raise ValueError("a business-hours calendar needs the centre's time zone and region")
    off = _Days(region, 0) if terms.public_holidays else frozenset()
    extra = _Days(region, 1) if terms.public_holidays else frozenset()
    return Calendar(timezone, terms.hours, terms.open_days, off, extra)

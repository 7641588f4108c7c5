"""The on-site terms of a policy pack (``[visits]`` and ``[vip]``), parsed and validated.

Desktop terms (§6 on-site service, the paid-service fee table and the evening fee table) give:

- the free on-site area: sites within ``free_within_km`` (80) of the nearest county-level or
  larger city, for in-warranty hardware faults inside the on-site period, original parts only;
- the paid trip fee for a day visit: ``day_fee`` (100) within ``day_within_km`` (40) of the
  service centre; beyond it, the centre and the customer agree a price;
- evening visits (``evening.from`` 18:00 to ``evening.until`` 21:00) are always paid, by the
  distance from the centre: each tier is "up to and including ``within_km``"; beyond the last
  tier, agreed;
- one trip fee per visit to one site, however many machines it covers.

The fee table's tiers read 0~10, 10~20, 20~30, 30~40 km: a boundary belongs to the lower tier
(10 km is 50, not 70), as "40 公里内 100 元" puts 40 km inside the day fee.

``[vip]``: the high-end desktop line's entitlements (the VIP service list): one on-site cleaning
within ``cleaning_months`` of the warranty's start, and one software on-site visit while the whole
unit is in warranty.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from aftersales.policy.fees import ScheduleError, amount, published_regions

DISTANCE_LIMIT = Decimal(20000)  # half the Earth's circumference, in km: no site is farther


@dataclass(frozen=True, slots=True)
class EveningTier:
    within_km: Decimal
    fee: Decimal


@dataclass(frozen=True, slots=True)
class VisitTerms:
    free_within_km: Decimal
    area_clause: str
    day_fee: Decimal
    day_within_km: Decimal
    fee_clause: str
    evening_from: dt.time
    evening_until: dt.time
    evening_tiers: tuple[EveningTier, ...]
    evening_clause: str
    regions: frozenset[str]  # where these terms are published
    currency: str


@dataclass(frozen=True, slots=True)
class VipTerms:
    lines: frozenset[str]
    cleaning_visits: int
    cleaning_months: int
    software_visits: int
    clause: str


def kilometres(value, field: str) -> Decimal:
    """A distance in a pack: a plain decimal string of kilometres, never a float."""
    if not isinstance(value, str):
        raise ScheduleError(field, 'must be a distance in kilometres written as text, such as "40"',
                            "必须是以文本书写的公里数，例如“40”")
    try:
        km = Decimal(value.strip())
    except InvalidOperation:
        km = Decimal("NaN")
    if not km.is_finite() or km <= 0 or km > DISTANCE_LIMIT:
        raise ScheduleError(field, "must be a distance above 0 and at most 20,000 km",
                            "必须是大于 0 且不超过 20,000 公里的距离")
    return km


def _clock(value, field: str) -> dt.time:
    try:
        parsed = dt.time.fromisoformat(value) if isinstance(value, str) and len(value) == 5 else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ScheduleError(field, 'must be a time of day such as "18:00"', "必须是一天中的时刻，例如“18:00”")
    return parsed


def _clause(data: dict, key: str, path: str, clauses: dict) -> str:
    name = data.get(key)
    if not isinstance(name, str) or name not in clauses:
        raise ScheduleError(f"{path}.{key}", "must name a clause the pack defines", "必须引用本政策包中定义的条款")
    return name


def _tiers(items, path: str) -> tuple[EveningTier, ...]:
    if not isinstance(items, list) or not items or any(not isinstance(i, dict) for i in items):
        raise ScheduleError(path, "must list the evening fees by distance", "必须按距离列出晚间上门费")
    tiers = tuple(EveningTier(kilometres(i.get("within_km"), f"{path}.within_km"),
                              amount(i.get("fee"), f"{path}.fee")) for i in items)
    if any(a.within_km >= b.within_km for a, b in zip(tiers, tiers[1:])):
        raise ScheduleError(path, "the distances must rise from one tier to the next", "各档距离必须逐档递增")
    return tiers


def parse_visits(data, clauses: dict, currencies: dict[str, str]) -> VisitTerms:
    """``currencies``: the pack's currency for each region; ``regions`` says where the visit terms
    are published, and they are priced in those regions' one currency."""
    if not isinstance(data, dict):
        raise ScheduleError("visits", "must be a table", "必须是一个表")
    evening = data.get("evening")
    if not isinstance(evening, dict):
        raise ScheduleError("visits.evening", "must give the evening hours and fees", "必须给出晚间时段和收费")
    start, until = _clock(evening.get("from"), "visits.evening.from"), _clock(evening.get("until"),
                                                                               "visits.evening.until")
    if start >= until:
        raise ScheduleError("visits.evening", "the evening must end after it begins", "晚间时段的结束必须晚于开始")
    regions, currency = published_regions(data, currencies, "visits")
    return VisitTerms(
        free_within_km=kilometres(data.get("free_within_km"), "visits.free_within_km"),
        area_clause=_clause(data, "area_clause", "visits", clauses),
        day_fee=amount(data.get("day_fee"), "visits.day_fee"),
        day_within_km=kilometres(data.get("day_within_km"), "visits.day_within_km"),
        fee_clause=_clause(data, "fee_clause", "visits", clauses),
        evening_from=start, evening_until=until,
        evening_tiers=_tiers(evening.get("fees"), "visits.evening.fees"),
        evening_clause=_clause(evening, "clause", "visits.evening", clauses),
        regions=regions, currency=currency)


def _count(data: dict, key: str, path: str, high: int) -> int:
    value = data.get(key)
    if type(value) is not int or not 0 <= value <= high:
        raise ScheduleError(f"{path}.{key}", f"must be a whole number from 0 to {high}", f"必须是 0 到 {high} 的整数")
    return value


def parse_vip(data, clauses: dict, lines: set[str]) -> VipTerms:
    """``lines``: the product lines the pack defines; the VIP list names some of them."""
    if not isinstance(data, dict):
        raise ScheduleError("vip", "must be a table", "必须是一个表")
    named = data.get("lines")
    if not isinstance(named, list) or not named or any(n not in lines for n in named):
        raise ScheduleError("vip.lines", "must list product lines the pack defines", "必须列出本政策包定义的产品线")
    return VipTerms(lines=frozenset(named), cleaning_visits=_count(data, "cleaning_visits", "vip", 12),
                    cleaning_months=_count(data, "cleaning_months", "vip", 120),
                    software_visits=_count(data, "software_visits", "vip", 12),
                    clause=_clause(data, "clause", "vip", clauses))

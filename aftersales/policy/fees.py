"""The fee schedule of a policy pack (``[fees]``), parsed and validated.

Paid service = labour + parts (seed 002, paid-service fee schedules). Labour is a fixed fee per
product line and service; parts come at list price; an out-of-warranty device whose quotation is
rejected, or that needs no repair, pays an inspection fee of at most ``inspection_fee_max``.

Two facts besides the amounts are data too:
- ``regions``: where the schedule is published. A pack may govern more regions for warranty
  than it publishes fees for (the Greater-China pack: warranty in CN, HK, MO and TW, fees in
  mainland China only). All of them share one currency, the schedule's.
- ``free_in_warranty``: the work the warranty makes free when it is covered (replacing a covered
  part, diagnosis, driver install, restoring a covered pre-installed system). Everything else —
  upgrades with the customer's parts, installing the customer's own system, deep cleaning —
  is paid even in warranty. This is part of the warranty terms, so it holds in every region
  the pack governs, priced by this schedule or by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from aftersales.core.errors import AppError
from aftersales.core.money import parse_amount
from aftersales.policy.vocabulary import PARTS, PRODUCT_LINES, SERVICES


class ScheduleError(ValueError):
    def __init__(self, field: str, en: str, zh: str):
        super().__init__(f"{field}: {en}")
        self.field, self.en, self.zh = field, en, zh


@dataclass(frozen=True, slots=True)
class FeeSchedule:
    labour: dict[str, dict[str, Decimal]]  # product line -> service -> fee
    external_parts: frozenset[str]  # parts changed without opening the unit: no labour fee
    inspection_fee_max: Decimal
    clause: str
    regions: frozenset[str]  # where these fees are published
    currency: str  # the currency of those regions, which the amounts are in
    free_in_warranty: frozenset[str]  # services the warranty makes free when covered


def amount(value, field: str) -> Decimal:
    """A fee in a pack: the one amount parser (``core.money.parse_amount``); never a float."""
    try:
        return parse_amount(value, field=field)
    except AppError as exc:
        raise ScheduleError(field, exc.en, exc.zh) from exc


def _services(data: dict, key: str) -> frozenset[str]:
    value = data.get(key)
    if not isinstance(value, list) or any(not isinstance(s, str) or s not in SERVICES for s in value):
        raise ScheduleError(f"fees.{key}", f"must be a list of services: {', '.join(SERVICES)}",
                            f"必须是服务列表：{', '.join(SERVICES)}")
    return frozenset(value)


def published_regions(data: dict, currencies: dict[str, str], path: str) -> tuple[frozenset[str], str]:
    """``regions`` of a fee table: among the pack's, sharing one currency, which is returned."""
    regions = data.get("regions")
    if not isinstance(regions, list) or not regions or any(r not in currencies for r in regions):
        raise ScheduleError(f"{path}.regions", "must list the regions, among the pack's, where these fees are "
                                               "published", "必须列出公布这些收费标准的地区（须为本政策包所辖地区）")
    used = {currencies[r] for r in regions}
    if len(used) != 1:
        raise ScheduleError(f"{path}.regions", "the regions must share one currency: the fees are written in one",
                            "这些地区必须使用同一种货币：收费标准只以一种货币标示")
    return frozenset(regions), used.pop()


def parse_schedule(data: dict, clauses: dict, currencies: dict[str, str]) -> FeeSchedule:
    """``currencies``: the pack's currency for each region it governs."""
    if not isinstance(data, dict):
        raise ScheduleError("fees", "must be a table", "必须是一个表")
    clause = data.get("clause")
    if not isinstance(clause, str) or clause not in clauses:
        raise ScheduleError("fees.clause", "must name a clause the pack defines", "必须引用本政策包中定义的条款")
    external = data.get("external_parts", [])
    if not isinstance(external, list) or any(not isinstance(p, str) or p not in PARTS for p in external):
        raise ScheduleError("fees.external_parts", "must be a list of known parts", "必须是已知部件的列表")
    regions, currency = published_regions(data, currencies, "fees")
    labour: dict[str, dict[str, Decimal]] = {}
    table = data.get("labour")
    if not isinstance(table, dict) or not table:
        raise ScheduleError("fees.labour", "must give labour fees per product line", "必须按产品线给出人工费")
    for line, services in table.items():
        path = f"fees.labour.{line}"
        if line not in PRODUCT_LINES:
            raise ScheduleError(path, "unknown product line", "未知产品线")
        if not isinstance(services, dict) or set(services) != set(SERVICES):
            raise ScheduleError(path, f"must give a fee for each service: {', '.join(SERVICES)}",
                                f"必须为每项服务给出费用：{', '.join(SERVICES)}")
        labour[line] = {svc: amount(fee, f"{path}.{svc}") for svc, fee in services.items()}
    return FeeSchedule(labour=labour, external_parts=frozenset(external),
                       inspection_fee_max=amount(data.get("inspection_fee_max"), "fees.inspection_fee_max"),
                       clause=clause, regions=regions, currency=currency,
                       free_in_warranty=_services(data, "free_in_warranty"))

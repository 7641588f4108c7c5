"""The fee schedule of a policy pack (``[fees]``), parsed and validated.

Paid service = labour + parts (seed 002, paid-service fee schedules). Labour is a fixed fee per
product line and service; parts come at list price; an out-of-warranty device whose quotation is
rejected, or that needs no repair, pays an inspection fee of at most ``inspection_fee_max``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

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


def amount(value, field: str) -> Decimal:
    """A fee written as a decimal string ("100.00"); never a float."""
    if not isinstance(value, str):
        raise ScheduleError(field, 'must be a decimal amount written as text, e.g. "100.00"',
                            '必须是写成文本的金额，例如 "100.00"')
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise ScheduleError(field, f"{value!r} is not an amount", f"{value!r} 不是金额")
    if not result.is_finite() or result < 0:
        raise ScheduleError(field, "must be zero or more", "不能为负数")
    return result


def parse_schedule(data: dict, clauses: dict) -> FeeSchedule:
    if not isinstance(data, dict):
        raise ScheduleError("fees", "must be a table", "必须是一个表")
    clause = data.get("clause")
    if clause not in clauses:
        raise ScheduleError("fees.clause", "must name a clause the pack defines", "必须引用本政策包中定义的条款")
    external = data.get("external_parts", [])
    if not isinstance(external, list) or any(p not in PARTS for p in external):
        raise ScheduleError("fees.external_parts", "must be a list of known parts", "必须是已知部件的列表")
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
                       clause=clause)

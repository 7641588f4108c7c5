"""The self-repair programme's terms of a policy pack (``[self_repair]``), parsed and validated.

From the Customer Self-Repair (CSR) questions and answers, each term with the clause that cites it:

- ``countries`` (``countries_clause``): where the programme is offered — the United States and
  Canada; regions the pack governs;
- ``product_line`` and ``sold_from`` (``products_clause``): notebooks "shipped and sold after
  2019", so both dates on or after 2020-01-01; the same clause gives the warranty, the diagnostic
  app pre-installed and the excluded models;
- ``parts`` (``parts_clause``): the parts sent — hard disks, SSDs, memory and power adapters;
- ``diagnosis_clause``: the diagnostic tool must confirm the fault of the part asked for;
- ``one_part_clause``: one part per application; several faults go to a regular repair;
- ``return_days`` (``return_clause``): days from the application to send the defective part back;
- ``reminder_days`` (``reminder_clause``): the days before that deadline a reminder goes out.

A bad section raises ``ScheduleError`` naming the field, as the visit terms do (``visits.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aftersales.policy.dates import accepted, out_of_range_words
from aftersales.policy.fees import ScheduleError
from aftersales.policy.vocabulary import PARTS

RETURN_DAYS_LIMIT = 365


@dataclass(frozen=True, slots=True)
class SelfRepairTerms:
    countries: tuple[str, ...]
    countries_clause: str
    product_line: str
    sold_from: dt.date  # the first day a computer may have been shipped and sold
    products_clause: str
    parts: tuple[str, ...]
    parts_clause: str
    diagnosis_clause: str
    one_part_clause: str
    return_days: int
    return_clause: str
    reminder_days: tuple[int, ...]  # days before the deadline, the earliest reminder first
    reminder_clause: str


def _clause(data: dict, key: str, clauses: dict) -> str:
    name = data.get(key)
    if not isinstance(name, str) or name not in clauses:
        raise ScheduleError(f"self_repair.{key}", "must name a clause the pack defines", "必须引用本政策包中定义的条款")
    return name


def _names(data: dict, key: str, known, en: str, zh: str) -> tuple[str, ...]:
    value = data.get(key)
    if (not isinstance(value, list) or not value or len(set(value)) != len(value)
            or any(not isinstance(v, str) or v not in known for v in value)):
        raise ScheduleError(f"self_repair.{key}", en, zh)
    return tuple(value)


def _sold_from(data: dict) -> dt.date:
    value = data.get("sold_from")
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ScheduleError("self_repair.sold_from", "must be a date written as YYYY-MM-DD (no quotes, no time)",
                            "必须是 YYYY-MM-DD 格式的日期（不加引号、不含时间）")
    if not accepted(value):
        raise ScheduleError("self_repair.sold_from", *out_of_range_words(value, "the date", "日期"))
    return value


def _return_days(data: dict) -> int:
    value = data.get("return_days")
    if type(value) is not int or not 1 <= value <= RETURN_DAYS_LIMIT:
        raise ScheduleError("self_repair.return_days", f"must be a whole number of days from 1 to {RETURN_DAYS_LIMIT}",
                            f"必须是 1 到 {RETURN_DAYS_LIMIT} 之间的整数天数")
    return value


def _reminder_days(data: dict, return_days: int) -> tuple[int, ...]:
    value = data.get("reminder_days")
    if (not isinstance(value, list) or len(set(value)) != len(value)
            or any(type(v) is not int or not 1 <= v < return_days for v in value)):
        raise ScheduleError("self_repair.reminder_days", "must list different whole numbers of days before the "
                            "deadline, each at least 1 and less than return_days",
                            "必须列出截止日前互不相同的天数，每个至少为 1 且小于 return_days")
    return tuple(sorted(value, reverse=True))


def parse_self_repair(data, clauses: dict, regions: frozenset[str], lines: set[str]) -> SelfRepairTerms:
    """``regions`` and ``lines``: the pack's; the programme is offered in some of them."""
    if not isinstance(data, dict):
        raise ScheduleError("self_repair", "must be a table", "必须是一个表")
    line = data.get("product_line")
    if not isinstance(line, str) or line not in lines:
        raise ScheduleError("self_repair.product_line", "must be a product line the pack defines",
                            "必须是本政策包定义的产品线")
    return_days = _return_days(data)
    return SelfRepairTerms(
        countries=_names(data, "countries", regions, "must list regions the pack governs, each once",
                         "必须列出本政策包所辖的地区，每个地区只列一次"),
        countries_clause=_clause(data, "countries_clause", clauses),
        product_line=line, sold_from=_sold_from(data), products_clause=_clause(data, "products_clause", clauses),
        parts=_names(data, "parts", PARTS, "must list known parts, each once", "必须列出已知部件，每个部件只列一次"),
        parts_clause=_clause(data, "parts_clause", clauses),
        diagnosis_clause=_clause(data, "diagnosis_clause", clauses),
        one_part_clause=_clause(data, "one_part_clause", clauses),
        return_days=return_days, return_clause=_clause(data, "return_clause", clauses),
        reminder_days=_reminder_days(data, return_days), reminder_clause=_clause(data, "reminder_clause", clauses))

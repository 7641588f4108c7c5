"""Re-pricing one case of the past, line by line, with the scalar engine: the reference the
columnar audit is held equal to (SPEC §6; Service Improvement Timeline, 2024-07-01, item 2).

The case is priced as ``fee-preview`` would have priced it on the day it was opened: the warranty
decision for its part (``warranty.rules.engine.decide``, sold and serviced in its region, its
inspection findings applied), the pack and fee schedule then in force, each replaced part at the
list price then in force (``billing.rules.pricing.price_work``). Then each charged line is held
against what was due:
- ``charged-under-warranty``: the line was free, the part being covered; due nothing;
- ``charged-after-rejection``: the quotation was declined, so only the inspection was due;
- ``inspection-fee-above-cap``: the declined job's disassembly-and-diagnosis line above the
  inspection fee due;
- ``labour-above-schedule`` / ``parts-above-list``: labour above the schedule's, parts above the
  list price (a line may carry both);
- ``paid-more-than-charged``: the case's payments above its charged total (case level).
A case the rules cannot price (no pack, a part the terms leave out, no published schedule, no
list price for a part) gives no line finding; its refusal code is returned instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from aftersales.audit.rules.rows import CaseRow, LineRow
from aftersales.billing.rules.pricing import INSPECTION, PART_REPLACEMENT, WorkItem, is_free, price_work, schedule_for
from aftersales.core.errors import AppError
from aftersales.warranty.rules.engine import PackSet, decide
from aftersales.warranty.rules.facts import Facts

RULES = ("charged-under-warranty", "charged-after-rejection", "inspection-fee-above-cap", "labour-above-schedule",
         "parts-above-list", "paid-more-than-charged")


@dataclass(frozen=True, slots=True)
class PriceRow:
    id: int
    part: str
    product_line: str
    model: str
    region: str
    price: Decimal
    currency: str
    valid_from: dt.date
    valid_to: dt.date | None



@dataclass(frozen=True, slots=True)
class Finding:
    """One overcharge: ``line_no`` None for a case-level finding. ``evidence``: the pack label,
    the clauses, and per rule the cover's last day or the list price row."""

    case_number: str
    line_no: int | None
    rule: str
    charged: Decimal
    due: Decimal
    currency: str
    evidence: dict

    @property
    def overcharge(self) -> Decimal:
        return self.charged - self.due


PriceOf = Callable[[str, dt.date], PriceRow | None]  # (part, day) -> the list row in force


def price_in_force(rows: list[PriceRow], *, part: str, product_line: str, model: str, region: str,
                   day: dt.date) -> PriceRow | None:
    """The row in force on ``day``; one for the case's model wins over one for every model."""
    found = [r for r in rows if r.part == part and r.product_line == product_line and r.region == region
             and r.model in (model, "") and r.valid_from <= day and (r.valid_to is None or day <= r.valid_to)]
    return max(found, key=lambda r: (r.model, r.valid_from), default=None)


def finding(case: CaseRow, line_no: int | None, rule: str, charged: Decimal, due: Decimal, evidence: dict) -> Finding:
    return Finding(case.case_number, line_no, rule, charged, due, case.currency, evidence)


def paid_more(case: CaseRow, lines: list[LineRow], paid: list[Decimal]) -> list[Finding]:
    charged = sum((ln.labour_charged + ln.parts_charged for ln in lines), Decimal("0.00"))
    total = sum(paid, Decimal("0.00"))
    if total <= charged:
        return []
    return [finding(case, None, "paid-more-than-charged", total, charged, {"payments": len(paid)})]


def reprice(case: CaseRow, lines: list[LineRow], paid: list[Decimal], packs: PackSet,
            price_of: PriceOf) -> tuple[list[Finding], str | None]:
    """The findings of one case (its lines in ``line_no`` order), and the code of the refusal
    when the rules could not price it."""
    found = paid_more(case, lines, paid)
    try:
        line_findings = _line_findings(case, lines, packs, price_of)
    except AppError as exc:
        return found, exc.code
    return line_findings + found, None


def _line_findings(case: CaseRow, lines: list[LineRow], packs: PackSet, price_of: PriceOf) -> list[Finding]:
    facts = Facts(product_line=case.product_line, manufactured_on=case.manufactured_on, part=case.part,
                  as_of=case.opened_on, sold_in=case.region, service_in=case.region,
                  purchased_on=case.purchased_on, exclusions=tuple(c for c in case.exclusions.split(";") if c))
    decision = decide(facts, packs)
    schedule = schedule_for(packs.by_label(decision.pack), case.region)
    if schedule.currency != case.currency:
        raise AppError("currency-mismatch", "The case was charged in another currency than the fee schedule's.",
                       "该维修单的收费货币与收费标准所用货币不同。")
    prices = [price_of(ln.part, case.opened_on) if ln.service == PART_REPLACEMENT else None for ln in lines]
    items = [WorkItem(ln.service, ln.part or None, p.price if p else None) for ln, p in zip(lines, prices)]
    priced = price_work(schedule, product_line=case.product_line, in_warranty=decision.covered,
                        quotation_rejected=case.quotation_rejected, work=items)
    chosen = [i for i, ln in enumerate(lines)
              if not case.quotation_rejected or is_free(schedule.free_in_warranty, ln.service, decision.covered)]
    inspection = priced.lines[len(chosen)] if len(priced.lines) > len(chosen) else None
    base = {"pack": decision.pack, "clause": schedule.clause}
    out = []
    for i, ln in enumerate(lines):
        charged = ln.labour_charged + ln.parts_charged
        if i in chosen:
            out += _against(case, ln, priced.lines[chosen.index(i)], prices[i], base, decision)
        elif inspection is not None and ln.service == INSPECTION:
            if charged > inspection.labour.amount:
                out.append(finding(case, ln.line_no, "inspection-fee-above-cap", charged, inspection.labour.amount, base))
            inspection = None  # one inspection fee per case: a second such line was not due
        elif charged > 0:
            out.append(finding(case, ln.line_no, "charged-after-rejection", charged, Decimal("0.00"), base))
    return out


def _against(case: CaseRow, ln: LineRow, due, price: PriceRow | None, base: dict, decision) -> list[Finding]:
    if due.free:
        charged = ln.labour_charged + ln.parts_charged
        if charged == 0:
            return []
        evidence = {**base, "warranty_clause": decision.clauses[0], "covered_until": decision.ends_on}
        return [finding(case, ln.line_no, "charged-under-warranty", charged, Decimal("0.00"), evidence)]
    out = []
    if ln.labour_charged > due.labour.amount:
        out.append(finding(case, ln.line_no, "labour-above-schedule", ln.labour_charged, due.labour.amount, base))
    if ln.parts_charged > due.parts.amount:
        evidence = {**base, "list_price": price}
        out.append(finding(case, ln.line_no, "parts-above-list", ln.parts_charged, due.parts.amount, evidence))
    return out

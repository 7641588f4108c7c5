"""Rules a quotation must meet before it reaches a customer (SPEC §2–§3, seed 000 items 5–7).

``review(lines, ...)`` returns the refusals (the quotation cannot be sent as it is) and the
reasons a verifier — a second person, not the author — must approve it:
- a covered (in-warranty) line is free: it never carries a charge;
- cosmetic work is quoted only when it affects function or the customer asked for it;
- a whole-unit replacement comes only after a component-level option was quoted, or with a
  stated reason why repairing components is not feasible;
- a whole-unit replacement is never priced above the device's fair market value;
- a price that deviates from the price list or fee schedule, or a total above the fair market
  value, needs a verifier and an explanation.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

UNIT_REPLACEMENT = "unit-replacement"


@dataclass(frozen=True, slots=True)
class QuoteLine:
    service: str
    labour: Decimal
    parts: Decimal
    list_labour: Decimal | None  # what the fee schedule says (None: no published fee)
    list_parts: Decimal | None  # what the price list says (None: no list price)
    part: str = ""
    covered: bool = False
    cosmetic: bool = False
    affects_function: bool = False
    customer_requested: bool = False

    @property
    def price(self) -> Decimal:
        return self.labour + self.parts


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    en: str
    zh: str
    line: int | None = None  # position (1-based) of the line concerned


@dataclass(frozen=True, slots=True)
class Review:
    refusals: tuple[Finding, ...]
    needs_verification: tuple[Finding, ...]

    @property
    def sendable(self) -> bool:
        return not self.refusals


def review(lines: list[QuoteLine], *, fair_market_value: Decimal | None, unit_infeasible_reason: str = "",
           explanation: str = "") -> Review:
    refusals: list[Finding] = []
    verify: list[Finding] = []
    if not lines:
        refusals.append(Finding("empty-quotation", "A quotation needs at least one line.", "报价至少需要一行。"))
    for n, line in enumerate(lines, start=1):
        if line.labour < 0 or line.parts < 0:
            refusals.append(Finding("negative-price", f"Line {n} has a negative price.", f"第 {n} 行价格为负。", n))
        if line.covered and line.price != 0:
            refusals.append(Finding("covered-line-charged",
                                    f"Line {n} is covered by the warranty and must be free.",
                                    f"第 {n} 行在保修范围内，必须免费。", n))
        if line.cosmetic and not (line.affects_function or line.customer_requested) and not line.covered:
            refusals.append(Finding("cosmetic-not-quotable",
                                    f"Line {n} is cosmetic: quote it only when it affects how the device works or "
                                    f"the customer asked for it.",
                                    f"第 {n} 行为外观维修：仅在影响功能或客户要求时才可报价。", n))
        if not line.covered and line.list_labour is not None and line.labour != line.list_labour:
            verify.append(Finding("labour-off-schedule", f"Line {n}: labour differs from the published fee.",
                                  f"第 {n} 行：人工费与公布的收费标准不同。", n))
        if not line.covered and line.list_parts is not None and line.parts != line.list_parts:
            verify.append(Finding("parts-off-list", f"Line {n}: the part price differs from the price list.",
                                  f"第 {n} 行：备件价格与价目表不同。", n))
        if not line.covered and line.list_parts is None and line.parts > 0:
            verify.append(Finding("parts-unlisted", f"Line {n}: the part has no list price.",
                                  f"第 {n} 行：该备件没有目录价。", n))
    units = [n for n, line in enumerate(lines, start=1) if line.service == UNIT_REPLACEMENT and not line.covered]
    components = [n for n, line in enumerate(lines, start=1) if line.service != UNIT_REPLACEMENT]
    for n in units:
        if not components and not unit_infeasible_reason.strip():
            refusals.append(Finding("component-first",
                                    "Quote a component-level repair before a whole-unit replacement, or explain why "
                                    "repairing components is not feasible.",
                                    "整机更换前应先报价部件级维修，或说明部件维修不可行的原因。", n))
        if fair_market_value is None:
            refusals.append(Finding("fair-market-value-missing",
                                    "A whole-unit replacement needs the device's fair market value.",
                                    "整机更换需要提供产品的公允市场价值。", n))
        elif lines[n - 1].price > fair_market_value:
            refusals.append(Finding("above-fair-market-value",
                                    f"Line {n}: a whole-unit replacement may not cost more than the device's fair "
                                    f"market value ({fair_market_value}).",
                                    f"第 {n} 行：整机更换价格不得高于产品的公允市场价值（{fair_market_value}）。", n))
    total = sum((line.price for line in lines if not line.covered), Decimal(0))
    if fair_market_value is not None and total > fair_market_value:
        verify.append(Finding("total-above-fair-market-value",
                              f"The total {total} is above the device's fair market value {fair_market_value}.",
                              f"总价 {total} 高于产品的公允市场价值 {fair_market_value}。"))
    if verify and not explanation.strip():
        refusals.append(Finding("explanation-missing",
                                "This quotation needs a verifier; explain the deviation in plain words first.",
                                "该报价需要复核；请先用通俗的语言说明偏差原因。"))
    return Review(tuple(refusals), tuple(verify))

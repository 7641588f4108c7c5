"""Rules a quotation must meet before it reaches a customer (SPEC §2–§3, seed 000 items 5–7).

``review(lines, ...)`` returns the refusals (the quotation cannot be sent as it is) and the
reasons a verifier — a second person, not the author — must approve it:
- a covered (in-warranty) line is free: it never carries a charge;
- cosmetic work is quoted only when it affects function or the customer asked for it;
- a whole-unit replacement comes only after a component-level option was quoted, or with a
  stated reason why repairing components is not feasible;
- a whole-unit replacement is never priced above the device's fair market value, and always
  needs a verifier;
- a price that deviates from the price list or fee schedule, a price set by hand where nothing
  is published, or a total above the fair market value, needs a verifier and an explanation;
- a line may need another line (``needs``: "install the system on the new disk" needs "replace
  the disk"): the line it names must exist and not be itself, needs never go round in a circle,
  and a covered line never needs a paid one (the warranty repair is never held hostage).

``answer_refusal`` is the same dependency read at answering time: accepting a line while
declining the line it needs is refused, naming both in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from aftersales.billing.rules.pricing import UNIT_REPLACEMENT


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
    needs: int | None = None  # position (1-based) of the line this one needs

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
    """What refuses the quotation outright, and what it needs a verifier for, each with its line."""
    refusals: list[Finding] = []
    verify: list[Finding] = []
    if not lines:
        refusals.append(Finding("empty-quotation", "A quotation needs at least one line.", "报价至少需要一行。"))
    for n, line in enumerate(lines, start=1):
        refusals += _line_refusals(n, line)
        verify += _line_verifications(n, line)
    refusals += dependency_refusals(lines)
    unit_refusals, unit_verify = _unit_findings(lines, fair_market_value, unit_infeasible_reason)
    refusals += unit_refusals
    verify += unit_verify + _total_findings(lines, fair_market_value)
    if verify and not explanation.strip():
        refusals.append(Finding("explanation-missing",
                                "This quotation needs a verifier: first explain in plain words why it is priced "
                                "this way.", "该报价需要复核：请先用通俗的语言说明这样报价的原因。"))
    return Review(tuple(refusals), tuple(verify))


def _line_refusals(n: int, line: QuoteLine) -> list[Finding]:
    """A line no verifier can let through: negative, a covered line charged, cosmetic work not quotable."""
    found = []
    if line.labour < 0 or line.parts < 0:
        found.append(Finding("negative-price", f"Line {n} has a negative price.", f"第 {n} 行价格为负。", n))
    if line.covered and line.price != 0:
        found.append(Finding("covered-line-charged",
                             f"Line {n} is covered by the warranty and must be free.",
                             f"第 {n} 行在保修范围内，必须免费。", n))
    if line.cosmetic and not (line.affects_function or line.customer_requested) and not line.covered:
        found.append(Finding("cosmetic-not-quotable",
                             f"Line {n} is cosmetic: quote it only when it affects how the device works or "
                             f"the customer asked for it.",
                             f"第 {n} 行为外观维修：仅在影响功能或客户要求时才可报价。", n))
    return found


def _line_verifications(n: int, line: QuoteLine) -> list[Finding]:
    """A paid line priced away from the published fee or the price list, or without either."""
    if line.covered:
        return []
    found = []
    if line.list_labour is not None and line.labour != line.list_labour:
        found.append(Finding("labour-off-schedule", f"Line {n}: labour differs from the published fee.",
                             f"第 {n} 行：人工费与公布的收费标准不同。", n))
    if line.list_parts is not None and line.parts != line.list_parts:
        found.append(Finding("parts-off-list", f"Line {n}: the part price differs from the price list.",
                             f"第 {n} 行：备件价格与价目表不同。", n))
    if line.list_parts is None and line.parts > 0:
        found.append(Finding("parts-unlisted", f"Line {n}: the part has no list price.",
                             f"第 {n} 行：该备件没有目录价。", n))
    if line.list_labour is None and line.labour > 0 and line.service != UNIT_REPLACEMENT:
        found.append(Finding("labour-unpublished", f"Line {n}: no labour fee is published here; it was set by hand.",
                             f"第 {n} 行：此处没有公布的人工费，由人工定价。", n))
    return found


def _unit_findings(lines: list[QuoteLine], fair_market_value: Decimal | None,
                   unit_infeasible_reason: str) -> tuple[list[Finding], list[Finding]]:
    """Paid whole-unit replacements: always verified, after a component repair, never above the device's value."""
    refusals: list[Finding] = []
    verify: list[Finding] = []
    units = [n for n, line in enumerate(lines, start=1) if line.service == UNIT_REPLACEMENT and not line.covered]
    has_components = any(line.service != UNIT_REPLACEMENT for line in lines)
    for n in units:
        verify.append(Finding("unit-replacement", f"Line {n} replaces the whole unit: a verifier approves every "
                                                  f"whole-unit replacement.",
                              f"第 {n} 行为整机更换：每次整机更换都须经复核人员批准。", n))
        if not has_components and not unit_infeasible_reason.strip():
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
    return refusals, verify


def _total_findings(lines: list[QuoteLine], fair_market_value: Decimal | None) -> list[Finding]:
    """A total above the device's fair market value needs a verifier."""
    total = sum((line.price for line in lines if not line.covered), Decimal(0))
    if fair_market_value is None or total <= fair_market_value:
        return []
    return [Finding("total-above-fair-market-value",
                    f"The total {total} is above the device's fair market value {fair_market_value}.",
                    f"总价 {total} 高于产品的公允市场价值 {fair_market_value}。")]


def _cycle_from(start: int, needs: dict[int, int]) -> list[int]:
    """The positions of the circle that following ``needs`` from ``start`` comes back to, if any."""
    seen, n = [start], needs.get(start)
    while n is not None and n in needs and n not in seen:
        seen.append(n)
        n = needs[n]
    return seen if n == start else []


def dependency_refusals(lines: list[QuoteLine]) -> list[Finding]:
    found: list[Finding] = []
    needs = {n: line.needs for n, line in enumerate(lines, start=1) if line.needs is not None}
    for n, m in needs.items():
        if m == n:
            found.append(Finding("needs-itself", f"Line {n} cannot need itself.", f"第 {n} 行不能依赖自身。", n))
        elif not 1 <= m <= len(lines):
            found.append(Finding("needs-unknown-line", f"Line {n} needs line {m}, which is not in this quotation.",
                                 f"第 {n} 行依赖的第 {m} 行不在本报价中。", n))
        elif lines[n - 1].covered and not lines[m - 1].covered:
            found.append(Finding("covered-needs-paid",
                                 f"Line {n} is covered by the warranty, so it cannot need line {m}, which has a "
                                 f"price: covered work never waits on paid work.",
                                 f"第 {n} 行在保修范围内，不能依赖收费的第 {m} 行：保修维修绝不以付费项目为前提。", n))
    circles = {tuple(sorted(c)) for n in needs if needs[n] != n for c in [_cycle_from(n, needs)] if c}
    for circle in sorted(circles):
        names_en = ", ".join(map(str, circle[:-1])) + f" and {circle[-1]}"
        found.append(Finding("dependency-cycle", f"Lines {names_en} need each other in a circle; one of them must "
                                                 f"need none of the others.",
                             f"第 {'、'.join(map(str, circle))} 行相互依赖、形成循环；其中必须有一行不依赖其他行。",
                             circle[0]))
    return found


@dataclass(frozen=True, slots=True)
class AnsweredLine:
    """A line of a sent quotation, as the customer's answer is checked against it."""

    position: int
    text_en: str
    text_zh: str
    covered: bool
    needs: int | None = None


def _quoted(text: str) -> str:
    return text.strip().rstrip(".。")


def answer_refusal(lines: list[AnsweredLine], answers: dict[int, str]) -> Finding | None:
    """An answer that accepts a paid line while declining the paid line it needs is refused, in
    plain words naming both. (Covered lines are done whatever the answer, so needing one is fine.)"""
    by_position = {line.position: line for line in lines}
    clashes = [(line, by_position[line.needs]) for line in lines
               if not line.covered and line.needs in by_position and answers.get(line.position) == "accept"
               and not by_position[line.needs].covered and answers.get(line.needs) == "decline"]
    if not clashes:
        return None
    en = " ".join(f"You accepted line {a.position}, “{_quoted(a.text_en)}”, but declined line {b.position}, "
                  f"“{_quoted(b.text_en)}”, which it needs." for a, b in clashes)
    zh = "".join(f"您接受了第 {a.position} 项“{_quoted(a.text_zh)}”，却拒绝了它所需要的第 {b.position} 项"
                 f"“{_quoted(b.text_zh)}”。" for a, b in clashes)
    return Finding("needed-line-declined", f"{en} Accept both, or decline both.", f"{zh}请两项都接受，或都拒绝。",
                   clashes[0][0].position)

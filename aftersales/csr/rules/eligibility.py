"""Who may replace a part themselves: the self-repair programme's eligibility, as pure rules.

From the Customer Self-Repair (CSR) questions and answers: the programme serves some countries
(the United States and Canada); notebooks shipped and sold after 2019, in warranty, with the
maker's diagnostic app pre-installed, and not of an excluded model; the diagnostic tool must have
confirmed the fault of the part asked for; only some parts are sent (hard disks, SSDs, memory and
power adapters); and one part per application — when the tool confirmed several faults, the
computer goes to a regular repair instead. Those figures are the pack's (``[self_repair]``,
``policy.self_repair.SelfRepairTerms``), passed in with the pack's clauses.

``csr_eligibility`` checks every rule and gives every refusal, not only the first, so a customer
learns at once all that stands in the way. Each refusal is a ``Reason`` with a stable code, the
clause it applies, and words for people in English and Chinese that end with where the clause
comes from. The verdict lists the clauses it applied. No database, no clock: the caller passes
the dates and the terms.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

from aftersales.policy.pack import Clause
from aftersales.policy.self_repair import SelfRepairTerms
from aftersales.policy.vocabulary import PARTS, PRODUCT_LINES, REGIONS


@dataclass(frozen=True)
class Reason:
    code: str
    en: str
    zh: str
    clause: str = ""  # the pack's clause the refusal applies
    regular_repair: bool = False  # the way forward is a regular repair: offer to book one


@dataclass(frozen=True)
class Facts:
    country: str
    product_line: str
    shipped_on: dt.date
    sold_on: dt.date
    in_warranty: bool
    diagnostic_app: bool
    model_excluded: bool
    confirmed_faults: tuple[str, ...]
    requested_part: str
    applied_on: dt.date


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    reasons: tuple[Reason, ...]
    return_due_on: dt.date | None  # the last day to send the defective part back, when eligible
    clauses: tuple[str, ...] = ()  # the clauses applied: the refusals', or every rule's when eligible


class _Refusals:
    """Collects refusals, each citing its clause (title, date and section) in both languages."""

    def __init__(self, clauses: Mapping[str, Clause]):
        self.clauses, self.reasons = clauses, []

    def add(self, code: str, clause: str, en: str, zh: str) -> None:
        cited = self.clauses[clause]
        self.reasons.append(Reason(code, f"{en} (Source: {cited.source(False)})", f"{zh}（依据：{cited.source(True)}）",
                                   clause, regular_repair=True))


def _names(table, keys, zh: bool) -> str:
    names = [table.get(k, (k, k))[1 if zh else 0] for k in keys]
    if zh:
        return "、".join(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _since(day: dt.date) -> tuple[str, str]:
    """The first day as a person says it: a year when it is the first of January."""
    if (day.month, day.day) == (1, 1):
        return str(day.year), f"{day.year} 年"
    return day.isoformat(), f"{day.isoformat()} "


def _place(f: Facts, t: SelfRepairTerms, out: _Refusals) -> None:
    if f.country not in t.countries:
        out.add("not-in-programme-country", t.countries_clause,
                f"Self-repair is offered only in these countries: {_names(REGIONS, t.countries, False)}.",
                f"自助维修服务目前仅在以下国家提供：{_names(REGIONS, t.countries, True)}。")
    if f.product_line != t.product_line:
        line_en, line_zh = PRODUCT_LINES[t.product_line]
        out.add("not-a-notebook", t.products_clause, f"Self-repair is offered for {line_en}s only.",
                f"自助维修服务仅适用于{line_zh}。")


def _dates(f: Facts, t: SelfRepairTerms, out: _Refusals) -> None:
    en, zh = _since(t.sold_from)
    if f.shipped_on < t.sold_from:
        out.add("shipped-before-2020", t.products_clause, f"Self-repair is offered for computers shipped from {en} "
                f"on; this one was shipped earlier.", f"自助维修服务适用于 {zh}及以后出货的电脑；这台电脑出货时间更早。")
    if f.sold_on < t.sold_from:
        out.add("sold-before-2020", t.products_clause, f"Self-repair is offered for computers bought from {en} "
                f"on; this one was bought earlier.", f"自助维修服务适用于 {zh}及以后购买的电脑；这台电脑购买时间更早。")


def _device(f: Facts, t: SelfRepairTerms, out: _Refusals) -> None:
    if not f.in_warranty:
        out.add("warranty-ended", t.products_clause, "The computer's warranty has ended; self-repair is for "
                "computers still in warranty. A paid repair is still possible.",
                "这台电脑已过保修期；自助维修仅适用于保修期内的电脑。您仍可申请付费维修。")
    if not f.diagnostic_app:
        out.add("no-diagnostic-app", t.products_clause, "Self-repair needs the maker's diagnostic app, "
                "pre-installed on the computer, to confirm the fault; this computer did not come with it.",
                "自助维修需要电脑预装的原厂诊断应用程序确认故障；这台电脑出厂时未预装该程序。")
    if f.model_excluded:
        out.add("model-excluded", t.products_clause, "This model is not part of the self-repair programme.",
                "此型号不在自助维修服务范围内。")


def _fault(f: Facts, t: SelfRepairTerms, out: _Refusals) -> None:
    en, zh = PARTS.get(f.requested_part, (f.requested_part, f.requested_part))
    if f.requested_part not in t.parts:
        out.add("part-not-in-programme", t.parts_clause, f"The {en} cannot be replaced by self-repair; only these "
                f"parts can: {_names(PARTS, t.parts, False)}.",
                f"{zh}不能通过自助维修更换；仅以下部件可以：{_names(PARTS, t.parts, True)}。")
    if f.requested_part not in f.confirmed_faults:
        out.add("fault-not-confirmed", t.diagnosis_clause, f"The diagnostic tool has not confirmed a fault in the "
                f"{en}. Run the diagnostic test for it first; if it finds no fault but you still suspect one, book a "
                f"regular repair.", f"诊断工具尚未确认{zh}有故障。请先对其运行诊断测试；如果未发现故障但您仍怀疑有问题，"
                f"请预约常规维修。")
    if len(set(f.confirmed_faults)) > 1:
        out.add("several-faults", t.one_part_clause, "The diagnostic tool confirmed more than one fault. Self-repair "
                "sends one part per application, so please book a regular repair: the service centre will check "
                "and repair the whole computer.", "诊断工具确认了不止一处故障。自助维修每次申请只寄送一个部件，"
                "请预约常规维修：服务中心会对整台电脑进行检查和维修。")


def csr_eligibility(facts: Facts, terms: SelfRepairTerms, clauses: Mapping[str, Clause]) -> Verdict:
    """Every rule of the programme checked against ``terms``; eligible only when none refuses.
    ``clauses``: the pack's, which the terms name."""
    out = _Refusals(clauses)
    for rule in (_place, _dates, _device, _fault):
        rule(facts, terms, out)
    if out.reasons:
        return Verdict(False, tuple(out.reasons), None, tuple(dict.fromkeys(r.clause for r in out.reasons)))
    applied = (terms.countries_clause, terms.products_clause, terms.parts_clause, terms.diagnosis_clause,
               terms.one_part_clause, terms.return_clause)
    return Verdict(True, (), return_due_on(facts.applied_on, terms), tuple(dict.fromkeys(applied)))


def return_due_on(applied_on: dt.date, terms: SelfRepairTerms) -> dt.date:
    """The last day to send the defective part back: ``return_days`` (14) from the application."""
    return applied_on + dt.timedelta(days=terms.return_days)

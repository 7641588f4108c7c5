"""The warranty decision.

``decide(facts, packs)`` answers, for one device, one part and one day: covered or not, the
period's start and end, the basis of the start (invoice or manufacture date), on-site
eligibility and its end, the reasons in English and Chinese with the clauses they apply, and
the pack version. It reads no clock and no database: everything it needs is in its arguments.

Order of the rules (SPEC §1, seed 002):
1. the pack in force on ``as_of`` for the product line and the region of sale;
2. the coverage window for the manufacture date, and the part's group in it;
3. start: invoice date if there is a valid invoice, else the manufacture date;
4. end: start + the group's months − 1 day; the battery gets the registered length when the
   product was registered within one month of the start;
5. post-repair: the same fault stays covered at least N months from an earlier warranty repair;
6. region: serviced only in the area of the region of sale;
7. exclusions found on inspection, each citing its clause;
8. LCD pixels: replacement only beyond the tolerance;
9. on-site: covered, and ``as_of`` inside the on-site period for the part's group.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from operator import attrgetter

from aftersales.warranty.rules import explain
from aftersales.warranty.rules.dates import period_end, period_ends
from aftersales.warranty.rules.facts import Decision, DecisionError, Facts, Reason
from aftersales.policy.pack import Line, Pack, Window
from aftersales.policy.vocabulary import PARTS, PRODUCT_LINES, REGIONS


class PackSet:
    """The loaded packs; finds the one in force for a line, a region of sale and a day."""

    def __init__(self, packs):
        self.packs = tuple(sorted(packs, key=lambda p: (p.id, p.effective_from)))
        # region of sale -> product line -> day -> the pack in force: nested rather than keyed on
        # a tuple, so that a look-up builds and hashes nothing (``decide_values`` reads it first)
        self._memo: dict[str, dict[str, dict[dt.date, Pack | None]]] = {
            region: {line: {} for line in PRODUCT_LINES} for region in REGIONS}

    def select(self, line: str, region: str, day: dt.date) -> Pack | None:
        by_day = self._memo.get(region, {}).get(line)
        if by_day is not None:
            found = by_day.get(day, _UNSEEN)
            if found is not _UNSEEN:
                return found
        found = None
        for pack in self.packs:
            if line in pack.lines and region in pack.regions and pack.in_force(day):
                if found is None or pack.effective_from > found.effective_from:
                    found = pack
        if by_day is not None:  # a line and region of the vocabulary: remembered
            if len(by_day) > 50_000:
                by_day.clear()
            by_day[day] = found
        return found


_UNSEEN = object()


def _date_order(field: str, en: str, zh: str):
    raise DecisionError("date-order", en, zh, field=field)


def _check_vocabulary(f: Facts) -> None:
    if f.product_line not in PRODUCT_LINES:
        raise DecisionError("unknown-product-line", f"Unknown product line {f.product_line!r}.",
                            f"未知产品线 {f.product_line!r}。", field="product_line")
    if f.part not in PARTS:
        raise DecisionError("unknown-part", f"Unknown part {f.part!r}.", f"未知部件 {f.part!r}。",
                            field="part")
    for name in ("sold_in", "service_in"):
        code = getattr(f, name)
        if code not in REGIONS:
            raise DecisionError("unknown-region", f"Unknown region code {code!r} in {name}.",
                                f"{name} 中的地区代码 {code!r} 无效。", field=name)


def _check_dates(f: Facts, start: dt.date) -> None:
    if f.purchased_on is not None and f.purchased_on < f.manufactured_on:
        _date_order("purchased_on", "The invoice date is before the manufacture date.",
                    "发票日期早于生产日期。")
    if f.as_of < start:
        _date_order("as_of", f"The decision date {f.as_of} is before the warranty start {start}.",
                    f"判定日期 {f.as_of} 早于保修起始日期 {start}。")
    if f.registered_on is not None and not start <= f.registered_on <= f.as_of:
        _date_order("registered_on", "The registration date must fall between the start of the "
                    "warranty and the decision date.", "注册日期必须在保修起始日期与判定日期之间。")
    if f.last_repair_on is not None and not start <= f.last_repair_on <= f.as_of:
        _date_order("last_repair_on", "The earlier repair date must fall between the start of the "
                    "warranty and the decision date.", "上次维修日期必须在保修起始日期与判定日期之间。")
    if f.shipped_on is not None and f.shipped_on < f.manufactured_on:
        _date_order("shipped_on", "The ship date is before the manufacture date.", "出货日期早于生产日期。")


def _check_lcd(f: Facts, pack: Pack, line: Line) -> None:
    if f.lcd_bright is None and f.lcd_dark is None and f.lcd_inspection is None:
        return
    if f.part != "lcd-panel" or not line.lcd or pack.lcd is None:
        raise DecisionError("lcd-not-applicable", "Bright and dark dot counts apply only to the LCD "
                            "panel of a product with an LCD rule.",
                            "亮点、暗点数量仅适用于适用液晶屏规则的产品的液晶屏。", field="lcd_dots")
    if f.lcd_bright is None or f.lcd_dark is None or f.lcd_bright < 0 or f.lcd_dark < 0:
        raise DecisionError("invalid-lcd-dots", "Give both bright and dark dot counts, as whole "
                            "numbers of zero or more.", "请同时提供亮点和暗点数量（不小于 0 的整数）。",
                            field="lcd_dots")
    ins, rule = f.lcd_inspection, pack.lcd
    if ins is not None and not (
            ins.distance_cm >= rule.min_distance_cm
            and rule.temperature_c[0] <= ins.temperature_c <= rule.temperature_c[1]
            and rule.lux[0] <= ins.lux <= rule.lux[1]):
        raise DecisionError(
            "lcd-inspection-conditions",
            f"The dot count was not taken under the required conditions (at least "
            f"{rule.min_distance_cm} cm, {rule.temperature_c[0]}–{rule.temperature_c[1]} °C, "
            f"{rule.lux[0]}–{rule.lux[1]} lux); inspect again.",
            f"亮暗点检查未在规定条件下进行（距离不小于 {rule.min_distance_cm} 厘米，"
            f"{rule.temperature_c[0]}–{rule.temperature_c[1]} ℃，{rule.lux[0]}–{rule.lux[1]} lux），请重新检查。",
            field="lcd_inspection")


def _not_applicable(pack: Pack, line: Line, part: str) -> DecisionError:
    ln_en, ln_zh = PRODUCT_LINES[line.id]
    pt_en, pt_zh = PARTS[part]
    ref = line.not_covered.get(part)
    extra_en = f" {pack.clauses[ref].en}" if ref else ""
    extra_zh = pack.clauses[ref].zh if ref else ""
    return DecisionError("part-not-applicable",
                         f"The {ln_en} terms do not cover a {pt_en}.{extra_en}",
                         f"{ln_zh}保修条款不包含{pt_zh}。{extra_zh}", field="part")


class Terms:
    """What a pack's line says for one part of products made in one window of dates: the
    coverage and on-site groups, their clauses and the words that name the part. Worked out once
    (``terms_for``), so that ``decide`` is left with the arithmetic on the customer's own dates."""

    __slots__ = ("window", "group", "months", "what", "battery", "onsite_clause", "onsite_months",
                 "onsite_from_shipped", "clauses", "clauses_alone", "label", "period_wordings", "basis",
                 "onsite_available", "onsite_ended", "onsite_none", "ends", "onsite_ends")

    def __init__(self, pack: Pack, line: Line, part: str, window: Window, onsite_window: Window | None):
        self.window = window
        self.group = window.by_part[part]
        self.months = self.group.months
        self.what = explain.what_words(line.id, part, self.group.name)
        self.battery = line.battery if self.group.name == "battery" else None
        onsite_group = onsite_window.by_part.get(part) if onsite_window else None
        # no on-site group, or one of 0 months: on-site service is not offered for the part
        self.onsite_months = onsite_group.months if onsite_group is not None else 0
        self.onsite_clause = onsite_window.clause if onsite_window else None
        self.onsite_from_shipped = line.onsite_start_without_invoice == "shipped"
        self.clauses = (window.clause, pack.start_clause)
        # the clauses cited when no special rule adds one: the on-site reason cites its window
        self.clauses_alone = _cited(self.clauses, (), self.onsite_clause)
        self.label = pack.label
        # the reasons' words and memos, by what varies from line to line: the period's outcome
        # (explain.period_kind) for the group's length, the start date, the on-site end
        self.period_wordings = tuple(explain.period_wording(self.what, self.months, kind) for kind in range(4))
        self.basis = (explain.basis_by_start(False, pack.start_clause),
                      explain.basis_by_start(True, pack.start_clause))
        clause = self.onsite_clause
        self.onsite_available = explain.onsite_by_end(True, clause)
        self.onsite_ended = explain.onsite_by_end(False, clause)
        # the on-site reason when there is no end to quote: not offered, or the fault not covered
        self.onsite_none = explain.onsite(False, self.onsite_months > 0, None, False, clause)
        self.ends = period_ends(self.months)  # start -> the period's end
        self.onsite_ends = period_ends(self.onsite_months)


def terms_for(pack: Pack, line: Line, made: dt.date, part: str) -> Terms:
    """The ``Terms`` of a pack's line for a manufacture date and a part; raises when the pack has
    none. Memoised on the line (``Line._terms``): a batch asks about the same few thousand
    manufacture dates again and again, and they fall in two or three windows. So each date maps
    to the part -> Terms table of its windows, one table per pair of windows, shared by every
    date in them (kept under the windows' ids, which last as long as the line that holds them)."""
    by_part = line._terms.get(made)
    if by_part is not None:
        terms = by_part.get(part)
        if terms is not None:
            return terms
    window = line.window(line.coverage, made)
    if window is None:
        raise DecisionError("no-terms-for-date", f"The pack has no terms for products made on {made}.",
                            f"政策包中没有适用于 {made} 生产的产品的条款。", field="manufactured_on")
    if part not in window.by_part:
        raise _not_applicable(pack, line, part)
    onsite_window = line.window(line.onsite, made) if line.onsite else None
    if len(line._terms) > 100_000:
        line._terms.clear()
    by_part = line._terms.setdefault((id(window), id(onsite_window)), {})
    line._terms[made] = by_part
    terms = by_part.get(part)
    if terms is None:
        terms = by_part[part] = Terms(pack, line, part, window, onsite_window)
    return terms


def _no_pack(f: Facts) -> DecisionError:
    return DecisionError(
        "no-policy-pack",
        f"No policy pack covers {PRODUCT_LINES[f.product_line][0]} products sold in "
        f"{REGIONS[f.sold_in][0]} on {f.as_of}.",
        f"没有适用于 {f.as_of} 在{REGIONS[f.sold_in][1]}销售的{PRODUCT_LINES[f.product_line][1]}的政策包。",
        field="product_line")


FACT_FIELDS = tuple(f.name for f in fields(Facts))
facts_values = attrgetter(*FACT_FIELDS)  # Facts -> the tuple decide_values takes


def decide(f: Facts, packs: PackSet) -> Decision:
    return Decision(*decide_values(facts_values(f), packs))


def decide_values(v: tuple, packs: PackSet, known_words: bool = False) -> tuple:
    """``decide`` on the facts as a tuple of their values in field order (``FACT_FIELDS``),
    answering with the decision's values in field order: ``Decision(*decide_values(...))``.
    A batch decides millions of lines this way, without making a ``Facts`` and a ``Decision``
    object for each (and reading their fields back one by one). ``known_words``: the caller has
    made sure that the product line, part and regions are in the vocabulary."""
    (product_line, made, part, as_of, sold_in, service_in, purchased, registered, shipped, repaired,
     bright, dark, inspection, exclusions) = v
    if not known_words and not (product_line in PRODUCT_LINES and part in PARTS and sold_in in REGIONS
                                and service_in in REGIONS):
        _check_vocabulary(Facts(*v))
    pack = packs._memo[sold_in][product_line].get(as_of, _UNSEEN)  # select's memo, first
    if pack is _UNSEEN:
        pack = packs.select(product_line, sold_in, as_of)
    if pack is None:
        raise _no_pack(Facts(*v))
    line = pack.lines[product_line]
    by_part = line._terms.get(made)  # terms_for's memo, first
    terms = by_part.get(part) if by_part is not None else None
    if terms is None:
        terms = terms_for(pack, line, made, part)

    invoice = purchased is not None
    start = purchased if invoice else made
    # _check_dates says what is wrong; this only spares calling it when nothing is
    if not (start <= as_of and (not invoice or made <= start)
            and (registered is None or start <= registered <= as_of)
            and (repaired is None or start <= repaired <= as_of)
            and (shipped is None or made <= shipped)):
        _check_dates(Facts(*v), start)
    if bright is not None or dark is not None or inspection is not None:
        _check_lcd(Facts(*v), pack, line)
    for code in exclusions:
        if code not in line.exclusions:
            raise DecisionError("exclusion-not-applicable",
                                f"Exclusion {code!r} is not one of the {PRODUCT_LINES[line.id][0]} terms.",
                                f"除外条款 {code!r} 不属于{PRODUCT_LINES[line.id][1]}的保修条款。",
                                field="exclusions")

    months = terms.months
    extra: list[Reason] = []
    extra_clauses: list[str] = []
    if terms.battery is not None:
        b = terms.battery
        deadline = period_end(start, b.registration_window_months)
        in_time = registered is not None and registered <= deadline
        months = b.registered_months if in_time else b.months
        extra.append(explain.battery(registered_on=registered, deadline=deadline, in_time=in_time,
                                     months=b.months, registered_months=b.registered_months,
                                     clause=b.clause))
        extra_clauses.append(b.clause)
    end = terms.ends[start] if months == terms.months else period_end(start, months)
    if repaired is not None and months > 0:
        repair_end = period_end(repaired, pack.post_repair_months)
        if repair_end > end:
            end = repair_end
            extra.append(explain.post_repair(repaired_on=repaired, months=pack.post_repair_months,
                                             end=end, clause=pack.post_repair_clause))
            extra_clauses.append(pack.post_repair_clause)
    in_period = start <= as_of <= end
    covered = in_period

    if service_in != sold_in:
        area = pack.area_of(sold_in)
        if service_in not in area:
            covered = False
            extra.append(explain.region(sold_in=sold_in, service_in=service_in, area=area,
                                        clause=pack.region_clause))
            extra_clauses.append(pack.region_clause)
    for code in exclusions:
        covered = False
        clause = pack.clauses[line.exclusions[code]]
        extra.append(explain.exclusion(code=code, clause=clause))
        extra_clauses.append(clause.id)
    if bright is not None:
        reason = explain.lcd(bright=bright, dark=dark, rule=pack.lcd)
        extra.append(reason)
        extra_clauses.append(pack.lcd.clause)
        if reason.code == "lcd-within-tolerance":
            covered = False

    # On-site repair is free only while both the on-site period and the part's warranty run,
    # so the on-site end is the earlier of the two.
    if terms.onsite_months == 0:
        onsite_eligible, onsite_end = False, None
        onsite = terms.onsite_none  # not offered
    else:
        if invoice:
            onsite_start = purchased
        elif terms.onsite_from_shipped and shipped is not None:
            onsite_start = shipped
        else:
            onsite_start = made
        onsite_end = terms.onsite_ends[onsite_start]
        if end < onsite_end:
            onsite_end = end
        onsite_eligible = covered and onsite_start <= as_of <= onsite_end
        if onsite_eligible:
            onsite = terms.onsite_available[onsite_end]
        elif covered:
            onsite = terms.onsite_ended[onsite_end]
        else:
            onsite = terms.onsite_none  # the fault is not covered

    # the period's outcome, as explain.period_kind tells it
    kind = 0 if months == 0 else 1 if covered else 2 if as_of > end else 3
    period = explain.period_reason(
        terms.period_wordings[kind] if months == terms.months else explain.period_wording(terms.what, months, kind),
        terms.window.clause, start, end, as_of)
    basis = terms.basis[invoice][start]
    if extra:
        reasons = [period, basis, *extra, onsite]
        clauses = _cited(terms.clauses, extra_clauses, onsite.clause)
    else:
        reasons = [period, basis, onsite]
        clauses = terms.clauses_alone
    return (covered, start, end, "invoice" if invoice else "manufacture", terms.group.name, months,
            onsite_eligible, onsite_end, reasons, terms.label, clauses)


def _cited(clauses: tuple[str, ...], extra: list[str] | tuple, onsite: str | None) -> tuple[str, ...]:
    """The clauses a decision cites: its window's and the start rule's, those of the special
    rules that applied, then the on-site window's; repeats are dropped once there are more than
    three."""
    cited = [*clauses, *extra]
    if onsite and onsite not in cited:
        cited.append(onsite)
    if len(cited) > 3:
        cited = list(dict.fromkeys(cited))
    return tuple(cited)

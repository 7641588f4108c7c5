"""The warranty decision.

``decide(facts, packs)`` answers, for one device, one part and one day: covered or not, the
period's start and end, the basis of the start (invoice or manufacture date), on-site
eligibility and its end, the reasons in English and Chinese with the clauses they apply, and
the pack version. It reads no clock and no database: everything it needs is in its arguments.

Order of the rules (SPEC §1; 台式机&一体机保修政策, 2024-01-15), one step of ``decide`` each:
1. the pack in force on ``as_of`` for the product line and the region of sale;
2. the coverage window for the manufacture date, and the part's group in it (``Terms``);
3. start: invoice date if there is a valid invoice, else the manufacture date;
4. end: start + the group's months − 1 day; the battery gets the registered length when the
   product was registered within one month of the start;
5. post-repair: each earlier repair must fall inside the cover in force on its day; the same
   fault stays covered at least N months from the last of them;
6. region: serviced only in the area of the region of sale;
7. exclusions found on inspection, each citing its clause;
8. LCD pixels: replacement only beyond the tolerance;
9. on-site: covered, and ``as_of`` inside the on-site period for the part's group; for a fault of
   the pre-installed system of a device on the pack's VIP list, also while the whole unit is in
   warranty and the VIP software on-site visit is unused (``vip_software_visit``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aftersales.policy.pack import Battery, Group, Line, Pack, Window
from aftersales.policy.vocabulary import PRODUCT_LINES, REGIONS
from aftersales.warranty.rules import checks, explain
from aftersales.warranty.rules.dates import Memo, period_end
from aftersales.warranty.rules.facts import Decision, DecisionError, Facts, Reason


@dataclass(frozen=True, slots=True, eq=False)
class Terms:
    """What a pack's line says for one part of products made in one window of dates: the
    coverage group, the on-site period, the clauses and the words that name the part. One
    object for each (``PackSet.terms``), so it is compared and hashed as itself."""

    label: str  # the pack's, id@version
    window: Window
    group: Group
    what: tuple[str, str]  # explain.what_words
    battery: Battery | None
    onsite_months: int  # 0: no on-site service for the part
    onsite_clause: str | None
    onsite_from_shipped: bool  # without an invoice, the on-site period runs from the ship date
    clauses: tuple[str, str]  # the window's and the start rule's


class PackSet:
    """The loaded packs: finds the one in force for a line, a region of sale and a day, and the
    terms of a pack's line for a manufacture date and a part. Both are looked up again and again
    for the same few thousand days, so each is kept in a memo: the pack by line, region and day;
    the windows by line and manufacture date; the terms by windows and part, one ``Terms`` for
    every date the same windows hold."""

    def __init__(self, packs):
        self.packs = tuple(sorted(packs, key=lambda p: (p.id, p.effective_from)))
        self._by_label = {p.label: p for p in self.packs}
        self._in_force = Memo(lambda key: self._find(*key), limit=50_000)  # (line, region, day) -> Pack
        self._windows = Memo(lambda key: self._windows_on(*key), limit=100_000)  # (label, line, made)
        self._terms = Memo(lambda key: self._terms_in(*key), limit=10_000)  # (label, line, windows, part)

    def select(self, line: str, region: str, day: dt.date) -> Pack | None:
        return self._in_force[(line, region, day)]

    def by_label(self, label: str) -> Pack | None:
        return self._by_label.get(label)

    def windows(self, pack: Pack, line: str, made: dt.date) -> tuple[int | None, int | None]:
        """Which coverage and on-site windows of ``pack``'s ``line`` hold products made on
        ``made``, by their places in the line's lists (None: no window holds them)."""
        return self._windows[(pack.label, line, made)]

    def terms(self, pack: Pack, line: str, made: dt.date, part: str) -> Terms:
        """The ``Terms`` of ``pack``'s ``line`` for products made on ``made`` and ``part``;
        raises when the pack has none."""
        windows = self.windows(pack, line, made)
        if windows[0] is None:
            raise DecisionError("no-terms-for-date", f"The pack has no terms for products made on {made}.",
                                f"政策包中没有适用于 {made} 生产的产品的条款。", field="manufactured_on")
        return self.terms_in(pack, line, windows, part)

    def terms_in(self, pack: Pack, line: str, windows: tuple[int, int | None], part: str) -> Terms:
        """``terms`` for the windows ``windows`` gives, a coverage window among them; raises when
        the line's terms there leave the part out."""
        return self._terms[(pack.label, line, windows, part)]

    def _find(self, line: str, region: str, day: dt.date) -> Pack | None:
        found = None
        for pack in self.packs:
            if line in pack.lines and region in pack.regions and pack.in_force(day):
                if found is None or pack.effective_from > found.effective_from:
                    found = pack
        return found

    def _windows_on(self, label: str, line_id: str, made: dt.date) -> tuple[int | None, int | None]:
        line = self._by_label[label].lines[line_id]
        return _window_of(line.coverage, made), _window_of(line.onsite, made)

    def _terms_in(self, label: str, line_id: str, windows: tuple[int | None, int | None], part: str) -> Terms:
        pack = self._by_label[label]
        line = pack.lines[line_id]
        coverage, onsite = windows
        if part not in line.coverage[coverage].by_part:
            raise checks.not_applicable(pack, line, part)
        return _terms(pack, line_id, part, coverage, onsite)


def _window_of(windows: tuple[Window, ...], made: dt.date) -> int | None:
    """Which of ``windows`` holds products made on ``made``, by its place in the list."""
    return next((i for i, w in enumerate(windows) if w.covers(made)), None)


def _terms(pack: Pack, line_id: str, part: str, coverage: int, onsite: int | None) -> Terms:
    line = pack.lines[line_id]
    window = line.coverage[coverage]
    onsite_window = None if onsite is None else line.onsite[onsite]
    group = window.by_part[part]
    onsite_group = onsite_window.by_part.get(part) if onsite_window else None
    return Terms(
        label=pack.label, window=window, group=group, what=explain.what_words(line.id, part, group.name),
        battery=line.battery if group.name == "battery" else None,
        onsite_months=onsite_group.months if onsite_group is not None else 0,
        onsite_clause=onsite_window.clause if onsite_window else None,
        onsite_from_shipped=line.onsite_start_without_invoice == "shipped",
        clauses=(window.clause, pack.start_clause))


@dataclass(frozen=True, slots=True)
class Cover:
    """The period that covers the part: its length, its last day, and the reasons of the
    special rules that set them (battery registration, warranty repairs)."""

    months: int
    end: dt.date
    reasons: tuple[Reason, ...] = ()


def decide(f: Facts, packs: PackSet) -> Decision:
    checks.vocabulary(f)
    checks.date_range(f)
    pack = packs.select(f.product_line, f.sold_in, f.as_of)
    if pack is None:
        raise _no_pack(f)
    line = pack.lines[f.product_line]
    terms = packs.terms(pack, f.product_line, f.manufactured_on, f.part)
    start = f.purchased_on or f.manufactured_on
    checks.dates(f, start)
    checks.lcd(f, pack, line)
    checks.exclusions(f, line)
    cover = after_repairs(f, pack, period(f, terms, start))
    findings, refused = inspection(f, pack, line)
    covered = start <= f.as_of <= cover.end and not refused
    onsite_eligible, onsite_end, onsite = onsite_service(f, terms, cover.end, covered)
    if covered and not onsite_eligible:
        vip = vip_software_visit(f, pack, terms, start, cover.end)
        if vip is not None:
            onsite_eligible, onsite_end, onsite = True, *vip
    kind = explain.period_kind(cover.months, covered, f.as_of, cover.end)
    reasons = [explain.period(terms.what, cover.months, kind, start, cover.end, f.as_of, terms.window.clause),
               explain.basis(f.purchased_on is not None, start, pack.start_clause),
               *cover.reasons, *findings, onsite]
    return Decision(covered, start, cover.end, "invoice" if f.purchased_on else "manufacture", terms.group.name,
                    cover.months, onsite_eligible, onsite_end, reasons, pack.label, cited(terms, reasons))


def period(f: Facts, terms: Terms, start: dt.date) -> Cover:
    """The part's period from ``start``: the group's months; for the battery of a line with a
    battery rule, the registered length when the product was registered within its window."""
    b = terms.battery
    if b is None:
        return Cover(terms.group.months, period_end(start, terms.group.months))
    deadline = period_end(start, b.registration_window_months)
    in_time = f.registered_on is not None and f.registered_on <= deadline
    months = b.registered_months if in_time else b.months
    reason = explain.battery(registered_on=f.registered_on, deadline=deadline, in_time=in_time, months=b.months,
                             registered_months=b.registered_months, clause=b.clause)
    return Cover(months, period_end(start, months), (reason,))


def after_repairs(f: Facts, pack: Pack, cover: Cover) -> Cover:
    """The cover as earlier warranty repairs of the same fault extend it. Each repair must fall
    inside the cover in force on its day (as the repairs before it extended it); the cover then
    runs at least ``post_repair_months`` from the last one."""
    repairs = repair_dates(f)
    end = cover.end
    for day, field in repairs:
        if day > end:
            raise checks.not_under_warranty(day, end, field)
        end = max(end, period_end(day, pack.post_repair_months))
    if end == cover.end:
        return cover
    reason = explain.post_repair(last_repair=repairs[-1][0], repairs=len(repairs), months=pack.post_repair_months,
                                 end=end, clause=pack.post_repair_clause)
    return Cover(cover.months, end, (*cover.reasons, reason))


def repair_dates(f: Facts) -> list[tuple[dt.date, str]]:
    """The earlier repairs, oldest first, each with the field that gave it; a day given in both
    ``repairs_on`` and ``last_repair_on`` counts once."""
    dated = {day: "repairs_on" for day in f.repairs_on}
    if f.last_repair_on is not None:
        dated.setdefault(f.last_repair_on, "last_repair_on")
    return sorted(dated.items())


def inspection(f: Facts, pack: Pack, line: Line) -> tuple[list[Reason], bool]:
    """What the place of service and the inspection add, and whether it takes the cover away:
    the region rule, the exclusions found (each citing its clause), the LCD dot count."""
    found, refused = [], False
    if f.service_in != f.sold_in and f.service_in not in pack.area_of(f.sold_in):
        found.append(explain.region(sold_in=f.sold_in, service_in=f.service_in, area=pack.area_of(f.sold_in),
                                    clause=pack.region_clause))
        refused = True
    for code in f.exclusions:
        found.append(explain.exclusion(code=code, clause=pack.clauses[line.exclusions[code]]))
        refused = True
    if f.lcd_bright is not None:
        found.append(explain.lcd(bright=f.lcd_bright, dark=f.lcd_dark, rule=pack.lcd))
        refused = refused or found[-1].code == "lcd-within-tolerance"
    return found, refused


def onsite_service(f: Facts, terms: Terms, end: dt.date, covered: bool) -> tuple[bool, dt.date | None, Reason]:
    """Free on-site repair: whether it applies, until when, and the reason. It runs only while
    both the on-site period and the part's cover run, so its end is the earlier of the two."""
    if terms.onsite_months == 0:
        return False, None, explain.onsite_not_offered(terms.onsite_clause)
    if f.purchased_on is not None:
        onsite_start = f.purchased_on
    elif terms.onsite_from_shipped and f.shipped_on is not None:
        onsite_start = f.shipped_on
    else:
        onsite_start = f.manufactured_on
    onsite_end = min(period_end(onsite_start, terms.onsite_months), end)
    eligible = covered and onsite_start <= f.as_of <= onsite_end
    return eligible, onsite_end, explain.onsite(offered=True, covered=covered, eligible=eligible, end=onsite_end,
                                                clause=terms.onsite_clause)


VIP_SOFTWARE_PARTS = frozenset({"preinstalled-os"})
WHOLE_UNIT = "whole-unit"


def vip_software_visit(f: Facts, pack: Pack, terms: Terms, start: dt.date,
                       end: dt.date) -> tuple[dt.date, Reason] | None:
    """The VIP software on-site visit for a covered fault of the pre-installed system: its last
    day and the reason, while the whole unit (its own period from ``start``) is in warranty and
    fewer visits were used than the VIP list gives; None otherwise."""
    vip = pack.vip
    if vip is None or f.product_line not in vip.lines or f.part not in VIP_SOFTWARE_PARTS:
        return None
    whole = next((g for g in terms.window.groups if g.name == WHOLE_UNIT), None)
    if whole is None or whole.months == 0 or f.vip_visits_used >= vip.software_visits:
        return None
    until = min(period_end(start, whole.months), end)
    if not start <= f.as_of <= until:
        return None
    return until, explain.VIP_SOFTWARE_VISIT.reason((until,), vip.clause)


def cited(terms: Terms, reasons: list[Reason]) -> tuple[str, ...]:
    """The clauses a decision cites, each once: its window's and the start rule's, those of the
    special rules that applied, then the on-site window's."""
    special = [r.clause for r in reasons[2:-1]]
    return tuple(dict.fromkeys(c for c in (*terms.clauses, *special, reasons[-1].clause) if c))


def _no_pack(f: Facts) -> DecisionError:
    return DecisionError(
        "no-policy-pack",
        f"No policy pack covers {PRODUCT_LINES[f.product_line][0]} products sold in "
        f"{REGIONS[f.sold_in][0]} on {f.as_of}.",
        f"没有适用于 {f.as_of} 在{REGIONS[f.sold_in][1]}销售的{PRODUCT_LINES[f.product_line][1]}的政策包。",
        field="product_line")


"""The engine against a reference decision written from SPEC §1 and the pack format alone.

``reference`` below is a second, deliberately plain implementation of the warranty decision: one
function, no memos, no shared code with the engine (its own month arithmetic, its own pack look-up,
its own order of the rules as docs/policy-packs.md lists them). It answers what a decision
decides — covered, the dates, the basis, the group and months, on-site service, the reasons'
codes and clauses, the clauses cited, the pack — or the refusal's code and field. The engine here,
and the batch in ``aftersales/warranty/test_batch_fast.py``, are held equal to it over random
facts, refusals included. The reasons' words are tested on their own (``test_wording.py``).
"""

import calendar
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.core.errors import AppError
from aftersales.policy.vocabulary import EXCLUSION_CODES, PARTS, PRODUCT_LINES, REGIONS
from aftersales.warranty.rules.conftest import PACKS
from aftersales.warranty.rules.engine import decide
from aftersales.warranty.rules.facts import Facts, LcdInspection


def months_later(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months on, or that month's last day when it is shorter."""
    year, month = day.year + (day.month - 1 + months) // 12, (day.month - 1 + months) % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day(start: dt.date, months: int) -> dt.date:
    """SPEC, Dates: a period of N months from S covers S through add_months(S, N) − 1 day."""
    return months_later(start, months) - dt.timedelta(days=1)


def made_in(window, made: dt.date) -> bool:
    return (window.made_from is None or window.made_from <= made) and (window.made_to is None or made <= window.made_to)


def refused(code: str, field: str) -> dict:
    return {"error": code, "field": field}


def reference(f: Facts, packs) -> dict:
    """The decision for ``f`` under the loaded ``packs`` (a list of ``Pack``), as SPEC §1 states it."""
    # words outside the vocabulary
    if f.product_line not in PRODUCT_LINES:
        return refused("unknown-product-line", "product_line")
    if f.part not in PARTS:
        return refused("unknown-part", "part")
    for name in ("sold_in", "service_in"):
        if getattr(f, name) not in REGIONS:
            return refused("unknown-region", name)
    # dates outside those the product accepts, 2000-01-01 through 2099-12-31 (docs/policy-packs.md)
    for name in ("manufactured_on", "as_of", "purchased_on", "registered_on", "shipped_on", "last_repair_on"):
        day = getattr(f, name)
        if day is not None and not dt.date(2000, 1, 1) <= day <= dt.date(2099, 12, 31):
            return refused("date-out-of-range", name)
    if any(not dt.date(2000, 1, 1) <= day <= dt.date(2099, 12, 31) for day in f.repairs_on):
        return refused("date-out-of-range", "repairs_on")
    # 1. the pack in force on the decision date for the line and the region of sale: the latest to take effect
    in_force = [p for p in packs if f.product_line in p.lines and f.sold_in in p.regions
                and p.effective_from <= f.as_of and (p.effective_to is None or f.as_of <= p.effective_to)]
    if not in_force:
        return refused("no-policy-pack", "product_line")
    pack = max(in_force, key=lambda p: p.effective_from)
    line = pack.lines[f.product_line]
    # 2. the coverage window for the manufacture date, and the part's group in it
    windows = [w for w in line.coverage if made_in(w, f.manufactured_on)]
    if not windows:
        return refused("no-terms-for-date", "manufactured_on")
    window = windows[0]
    groups = [g for g in window.groups if f.part in g.parts]
    if not groups:
        return refused("part-not-applicable", "part")
    group = groups[0]
    # 3. start: the invoice date, else the manufacture date
    start = f.purchased_on if f.purchased_on is not None else f.manufactured_on
    # dates in an impossible order
    if f.purchased_on is not None and f.purchased_on < f.manufactured_on:
        return refused("date-order", "purchased_on")
    if f.as_of < start:
        return refused("date-order", "as_of")
    if f.registered_on is not None and not (start <= f.registered_on and f.registered_on <= f.as_of):
        return refused("date-order", "registered_on")
    if f.last_repair_on is not None and not (start <= f.last_repair_on and f.last_repair_on <= f.as_of):
        return refused("date-order", "last_repair_on")
    for day in f.repairs_on:
        if day < start or day > f.as_of:
            return refused("date-order", "repairs_on")
    if f.shipped_on is not None and f.shipped_on < f.manufactured_on:
        return refused("date-order", "shipped_on")
    # LCD dot counts: only for an LCD panel under an LCD rule, both counts, taken under its conditions
    if f.lcd_bright is not None or f.lcd_dark is not None or f.lcd_inspection is not None:
        if f.part != "lcd-panel" or not line.lcd or pack.lcd is None:
            return refused("lcd-not-applicable", "lcd_dots")
        if f.lcd_bright is None or f.lcd_dark is None or f.lcd_bright < 0 or f.lcd_dark < 0:
            return refused("invalid-lcd-dots", "lcd_dots")
        i, rule = f.lcd_inspection, pack.lcd
        if i is not None and (i.distance_cm < rule.min_distance_cm
                              or not rule.temperature_c[0] <= i.temperature_c <= rule.temperature_c[1]
                              or not rule.lux[0] <= i.lux <= rule.lux[1]):
            return refused("lcd-inspection-conditions", "lcd_inspection")
    # a finding the line's terms do not name
    for code in f.exclusions:
        if code not in line.exclusions:
            return refused("exclusion-not-applicable", "exclusions")
    special = []  # (reason code, clause) of the special rules, in the order they apply
    # 4. end: the group's months; the battery's registered length when registered within its window
    months = group.months
    if group.name == "battery" and line.battery is not None:
        b = line.battery
        deadline = last_day(start, b.registration_window_months)
        if f.registered_on is not None and f.registered_on <= deadline:
            months, code = b.registered_months, "battery-registered"
        else:
            months = b.months
            code = "battery-unregistered" if f.registered_on is None else "battery-registered-late"
        special.append((code, b.clause))
    end = last_day(start, months)
    # 5. earlier repairs: each inside the cover in force on its day; at least N months from the last
    repairs = {day: "repairs_on" for day in f.repairs_on}
    if f.last_repair_on is not None and f.last_repair_on not in repairs:
        repairs[f.last_repair_on] = "last_repair_on"
    cover_end = end
    for day in sorted(repairs):
        if day > cover_end:
            return refused("repair-not-under-warranty", repairs[day])
        cover_end = max(cover_end, last_day(day, pack.post_repair_months))
    if cover_end > end:
        special.append(("post-repair-extension", pack.post_repair_clause))
        end = cover_end
    covered = start <= f.as_of <= end
    # 6. region: serviced only in the region of sale's service area
    area = next((a for a in pack.service_areas if f.sold_in in a), frozenset({f.sold_in}))
    if f.service_in not in area:
        covered = False
        special.append(("region-mismatch", pack.region_clause))
    # 7. exclusions found on inspection
    for code in f.exclusions:
        covered = False
        special.append((code, line.exclusions[code]))
    # 8. LCD: replaced only beyond the tolerance
    if f.lcd_bright is not None:
        beyond = f.lcd_bright > pack.lcd.bright_max or f.lcd_dark > pack.lcd.dark_max
        special.append(("lcd-beyond-tolerance" if beyond else "lcd-within-tolerance", pack.lcd.clause))
        covered = covered and beyond
    # 9. on-site: while covered and inside the on-site period, which ends no later than the cover
    onsite_windows = [w for w in line.onsite if made_in(w, f.manufactured_on)]
    onsite_clause = onsite_windows[0].clause if onsite_windows else None
    onsite_groups = [g for w in onsite_windows for g in w.groups if f.part in g.parts]
    if not onsite_groups or onsite_groups[0].months == 0:
        eligible, onsite_end, onsite_code = False, None, "onsite-not-offered"
    else:
        if f.purchased_on is not None:
            onsite_start = f.purchased_on
        elif line.onsite_start_without_invoice == "shipped" and f.shipped_on is not None:
            onsite_start = f.shipped_on
        else:
            onsite_start = f.manufactured_on
        onsite_end = min(last_day(onsite_start, onsite_groups[0].months), end)
        eligible = covered and onsite_start <= f.as_of <= onsite_end
        onsite_code = "onsite-available" if eligible else "onsite-ended" if covered else "onsite-not-covered"
    # 9b. a VIP device's one software on-site visit (SPEC §4): a covered fault of the pre-installed
    # system, while the whole unit is in warranty and the visit is unused
    if pack.vip is not None and f.product_line in pack.vip.lines and f.part == "preinstalled-os" and covered \
            and not eligible and f.vip_visits_used < pack.vip.software_visits:
        whole_units = [g for g in window.groups if g.name == "whole-unit" and g.months > 0]
        if whole_units:
            whole_end = min(last_day(start, whole_units[0].months), end)
            if f.as_of <= whole_end:
                eligible, onsite_end, onsite_code, onsite_clause = True, whole_end, "vip-software-visit", pack.vip.clause
    if months == 0:
        period_code = "no-coverage-period"
    elif covered or f.as_of <= end:
        period_code = "in-period"
    else:
        period_code = "period-ended"
    reasons = [(period_code, window.clause),
               ("basis-invoice" if f.purchased_on is not None else "basis-manufacture", pack.start_clause),
               *special, (onsite_code, onsite_clause)]
    clauses = []
    for _, clause in reasons:
        if clause is not None and clause not in clauses:
            clauses.append(clause)
    return {"covered": covered, "starts_on": start, "ends_on": end,
            "basis": "invoice" if f.purchased_on is not None else "manufacture", "group": group.name,
            "months": months, "onsite_eligible": eligible, "onsite_ends_on": onsite_end, "reasons": reasons,
            "clauses": clauses, "pack": f"{pack.id}@{pack.version}"}


def engine_answer(f: Facts) -> dict:
    """What the engine decides, in the reference's terms."""
    try:
        d = decide(f, PACKS)
    except AppError as exc:
        return refused(exc.code, exc.field)
    return {"covered": d.covered, "starts_on": d.starts_on, "ends_on": d.ends_on, "basis": d.basis, "group": d.group,
            "months": d.months, "onsite_eligible": d.onsite_eligible, "onsite_ends_on": d.onsite_ends_on,
            "reasons": [(r.code, r.clause) for r in d.reasons], "clauses": list(d.clauses), "pack": d.pack}


# --- random facts: mostly sensible, some not ------------------------------------------------------
PARTS_BY_LINE = {
    "rog-desktop": ["cpu", "fan", "keyboard", "preinstalled-os", "bundled-software", "ancillary"],
    "home-desktop": ["cpu", "fan", "mouse", "preinstalled-os", "bundled-software", "ancillary", "lcd-panel"],
    "aio": ["battery", "lcd-panel", "mainboard", "remote", "preinstalled-os", "power-adapter"],
    "mini-pc": ["ssd", "preinstalled-os", "ancillary", "power-cord"],
    "nuc": ["cpu", "preinstalled-os", "battery"],
    "notebook": ["battery", "ssd", "lcd-panel", "ancillary"],
}


def rarely(draw, usual, odd, one_in: int = 12):
    """``usual`` nearly always, ``odd`` one time in ``one_in``."""
    return draw(odd) if draw(st.integers(1, one_in)) == 1 else draw(usual)


def days_from(day: dt.date, low: int, high: int):
    return st.integers(low, high).map(lambda n: day + dt.timedelta(days=n))


def edges(day: dt.date):
    """The days around the ends of the periods the packs give (3 to 36 months from ``day``),
    where off-by-one mistakes show."""
    return st.sampled_from([last_day(day, months) + dt.timedelta(days=n)
                            for months in (1, 3, 6, 12, 24, 36) for n in (-1, 0, 1)])


def near(draw, day: dt.date, low: int, high: int):
    return draw(st.one_of(days_from(day, low, high), edges(day)))


@st.composite
def random_facts(draw):
    """Facts over every line, part group and rule, dates mostly in the order time gives them so
    that the rules and not only the refusals are reached, and now and then a value or an order
    no rule can take."""
    line = rarely(draw, st.sampled_from(sorted(PARTS_BY_LINE)), st.just("tablet"), 40)
    part = rarely(draw, st.sampled_from(PARTS_BY_LINE.get(line, ["cpu"])), st.sampled_from(["warp-core", "wall-mount"]), 30)
    made = rarely(draw, st.dates(dt.date(2012, 1, 1), dt.date(2025, 12, 31)),
                  st.sampled_from([dt.date(1999, 12, 31), dt.date(2000, 1, 1), dt.date(2099, 12, 31), dt.date(2, 6, 1),
                                   dt.date(9990, 1, 1)]), 40)
    purchased = draw(st.one_of(st.none(), rarely(draw, st.just(days_from(made, 0, 400)), st.just(days_from(made, -3, 0)))))
    start = purchased or made
    as_of = rarely(draw, st.one_of(days_from(start, 0, 1600), edges(start)), days_from(start, -400, 0), 20)
    until_now = max((as_of - start).days, 0)
    sold_in = rarely(draw, st.sampled_from(["US", "CA"] if line == "notebook" else ["CN", "HK", "MO", "TW"]),
                     st.sampled_from(sorted(REGIONS)), 15)
    lcd = part == "lcd-panel" and draw(st.integers(0, 2)) > 0 or draw(st.integers(1, 40)) == 1
    return Facts(
        product_line=line, manufactured_on=made, part=part, as_of=as_of, sold_in=sold_in,
        service_in=rarely(draw, st.just(sold_in), st.sampled_from(sorted(REGIONS)), 6), purchased_on=purchased,
        registered_on=draw(st.one_of(st.none(), rarely(draw, st.just(days_from(start, 0, 60)),
                                                         st.just(days_from(start, -5, until_now + 5))))),
        shipped_on=draw(st.one_of(st.none(), rarely(draw, st.just(days_from(made, 0, 60)), st.just(days_from(made, -2, 0))))),
        last_repair_on=near(draw, start, -2, until_now + 2) if draw(st.integers(1, 3)) == 1 else None,
        lcd_bright=rarely(draw, st.integers(0, 8), st.one_of(st.none(), st.just(-1)), 15) if lcd else None,
        lcd_dark=rarely(draw, st.integers(0, 8), st.none(), 15) if lcd else None,
        lcd_inspection=draw(st.one_of(st.none(), st.builds(LcdInspection, st.integers(20, 40), st.integers(15, 45),
                                                           st.integers(250, 550)))) if lcd else None,
        exclusions=tuple(draw(st.lists(st.sampled_from(sorted(EXCLUSION_CODES)), max_size=2, unique=True)))
        if draw(st.integers(1, 4)) == 1 else (),
        repairs_on=tuple(draw(st.lists(st.one_of(days_from(start, -2, until_now + 2), edges(start)), max_size=4)))
        if draw(st.integers(1, 3)) == 1 else (),
        vip_visits_used=draw(st.sampled_from([0, 0, 0, 1, 2])),
    )


@settings(max_examples=2000, deadline=None)
@given(random_facts())
def test_the_engine_decides_as_the_reference_written_from_the_spec(f):
    assert engine_answer(f) == reference(f, PACKS.packs)

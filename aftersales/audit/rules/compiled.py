"""The policy packs compiled into tables, for the columnar audit to join against.

The columnar audit decides warranty and prices work for millions of cases at once, so it cannot
ask the engine case by case. Instead every fact of the packs it needs becomes rows, made from the
same objects the scalar engine reads (``PackSet``, ``Pack``, ``FeeSchedule``):
- ``spans``: which pack is in force for a product line and region on each stretch of days, found
  by ``PackSet.select`` itself at every day the answer can change;
- ``windows`` / ``terms``: the manufacture dates cut into stretches, each with the coverage
  window the engine takes for it (the first that holds it), and each part's months in a window (the battery's unregistered length where the line has a battery rule: history records
  no registration);
- ``exclusions``: the inspection findings each line's terms know;
- ``schedules``, ``labour``: the fee schedule where it is published.
The rest of the fee schedules becomes SQL expressions over a line beside its case's pack: whether its work
is free when covered (``free_expression``) and its labour fee (``labour_expression``). A
property test holds the columnar audit over these equal to the scalar engine.
"""

from __future__ import annotations

import datetime as dt

from aftersales.policy.dates import FIRST_DAY, LAST_DAY
from aftersales.warranty.rules.engine import PackSet

EARLIEST, LATEST = dt.date(1, 1, 1), dt.date(9999, 12, 31)

TABLES = {
    "spans": "product_line VARCHAR, region VARCHAR, day_from DATE, day_to DATE, label VARCHAR",
    "windows": "label VARCHAR, product_line VARCHAR, idx INTEGER, made_from DATE, made_to DATE, clause VARCHAR",
    "terms": "label VARCHAR, product_line VARCHAR, idx INTEGER, part VARCHAR, months INTEGER",
    "exclusions": "label VARCHAR, product_line VARCHAR, code VARCHAR",
    "schedules": "label VARCHAR, region VARCHAR, currency VARCHAR, inspection_cap DECIMAL(12,2), clause VARCHAR",
    "labour": "label VARCHAR, product_line VARCHAR, service VARCHAR, fee DECIMAL(12,2)",
}


def spans(packs: PackSet) -> list[tuple]:
    """(line, region, first day, last day, pack label) for every stretch a pack is in force."""
    out = []
    keys = {(line, region) for p in packs.packs for line in p.lines for region in p.regions}
    for line, region in sorted(keys):
        mine = [p for p in packs.packs if line in p.lines and region in p.regions]
        cuts = {FIRST_DAY, LAST_DAY + dt.timedelta(days=1)}
        for p in mine:
            cuts.add(p.effective_from)
            if p.effective_to is not None:
                cuts.add(p.effective_to + dt.timedelta(days=1))
        cuts = sorted(c for c in cuts if FIRST_DAY <= c <= LAST_DAY + dt.timedelta(days=1))
        for start, following in zip(cuts, cuts[1:]):
            pack = packs.select(line, region, start)
            if pack is not None:
                out.append((line, region, start, following - dt.timedelta(days=1), pack.label))
    return out


def first_windows(windows) -> list[tuple[dt.date, dt.date, int]]:
    """The manufacture dates cut into stretches, each with the first window that holds it (the
    one the engine takes), so a case's date falls in at most one stretch."""
    cuts = {EARLIEST}
    for w in windows:
        cuts |= {w.made_from or EARLIEST, (w.made_to + dt.timedelta(days=1)) if w.made_to and w.made_to < LATEST
                 else LATEST}
    cuts = sorted(cuts)
    out = []
    for start, following in zip(cuts, cuts[1:] + [None]):
        idx = next((i for i, w in enumerate(windows) if w.covers(start)), None)
        if idx is not None:
            out.append((start, following - dt.timedelta(days=1) if following else LATEST, idx))
    return out


def _coverage(packs: PackSet) -> tuple[list[tuple], list[tuple], list[tuple]]:
    windows, terms, exclusions = [], [], []
    for pack in packs.packs:
        for line_id, line in pack.lines.items():
            exclusions += [(pack.label, line_id, code) for code in line.exclusions]
            windows += [(pack.label, line_id, idx, start, end, line.coverage[idx].clause)
                        for start, end, idx in first_windows(line.coverage)]
            for idx, w in enumerate(line.coverage):
                for part, group in w.by_part.items():
                    months = line.battery.months if group.name == "battery" and line.battery else group.months
                    terms.append((pack.label, line_id, idx, part, months))
    return windows, terms, exclusions


def _fees(packs: PackSet) -> tuple[list[tuple], ...]:
    schedules, labour = [], []
    for pack in packs.packs:
        fees = pack.fees
        if fees is None:
            continue
        schedules += [(pack.label, r, fees.currency, fees.inspection_fee_max, fees.clause) for r in sorted(fees.regions)]
        labour += [(pack.label, line, svc, fee) for line, table in fees.labour.items() for svc, fee in table.items()]
    return schedules, labour


def compile_packs(packs: PackSet) -> dict[str, list[tuple]]:
    """Every table of ``TABLES``, as rows."""
    windows, terms, exclusions = _coverage(packs)
    schedules, labour = _fees(packs)
    return {"spans": spans(packs), "windows": windows, "terms": terms, "exclusions": exclusions,
            "schedules": schedules, "labour": labour}


# --- the fee schedules as SQL expressions over a line (``l``) beside its case's pack and product line ---

def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _among(column: str, values) -> str:
    return f"{column} IN ({', '.join(_text(v) for v in sorted(values))})" if values else "false"


def _by_label(packs: PackSet, branch) -> str:
    arms = [f"WHEN {_text(p.label)} THEN {branch(p.fees)}" for p in packs.packs if p.fees is not None]
    return f"CASE l.label {' '.join(arms)} END" if arms else "NULL"


def free_expression(packs: PackSet) -> str:
    """Whether the line's service is work the warranty makes free (``is_free`` less the cover)."""
    return f"coalesce({_by_label(packs, lambda fees: _among('l.service', fees.free_in_warranty))}, false)"


def labour_expression(packs: PackSet) -> str:
    """The schedule's labour fee for the line (nothing for a part that comes off without opening
    the unit), as ``list_price`` gives it."""
    def fee(fees) -> str:
        lines = []
        for line, table in sorted(fees.labour.items()):
            services = " ".join(f"WHEN {_text(s)} THEN CAST('{fee}' AS DECIMAL(12,2))" for s, fee in sorted(table.items()))
            lines.append(f"WHEN {_text(line)} THEN CASE l.service {services} END")
        external = _among("l.part", fees.external_parts)
        return (f"CASE WHEN l.service = 'part-replacement' AND {external} THEN CAST(0 AS DECIMAL(12,2)) "
                f"ELSE CASE l.product_line {' '.join(lines)} END END")
    return _by_label(packs, fee)


# --- the days on which a decision can change ------------------------------------------------------

def opened_cuts(packs: PackSet) -> list[dt.date]:
    """Every day from which the pack in force may differ from the day before (for any line and
    region): between two of these days, and before the first, the same pack is chosen."""
    return sorted({day for _, _, start, end, _ in spans(packs) for day in (start, end + dt.timedelta(days=1))})


def made_cuts(packs: PackSet) -> list[dt.date]:
    """Every manufacture date from which the coverage window taken may differ (any pack, any line)."""
    windows, _, _ = _coverage(packs)
    return sorted({day for *_, start, end, _ in windows
                   for day in (start, end + dt.timedelta(days=1) if end < LATEST else start)})


def stretch_expression(column: str, cuts: list[dt.date]) -> str:
    """The first day of the stretch between ``cuts`` that holds ``column`` (0001-01-01 before the
    first cut; NULL for no date, which no stretch holds), so rows in one stretch share it; latest
    first, where most history is."""
    arms = " ".join(f"WHEN {column} >= DATE '{day}' THEN DATE '{day}'" for day in reversed(cuts))
    return f"CASE {arms} WHEN {column} IS NOT NULL THEN DATE '{EARLIEST}' END"

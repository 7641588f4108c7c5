"""The packs compiled into tables for the columnar warranty batch (``warranty.columnar``).

The columnar batch decides a million lines in a few SQL statements, so it cannot ask the engine
line by line. Instead it joins each line to rows made here, once per batch, from the objects the
engine itself reads:
- ``spans`` and ``windows`` (``audit.rules.compiled``): the pack in force for a line, region of
  sale and day, and the coverage window for a manufacture date; ``onsite_windows`` likewise for
  the on-site windows;
- ``terms``: for each pack, line, pair of windows and part, the engine's own ``Terms`` with every
  reason it may give already written by ``explain`` and encoded as ``wire`` writes it. Where a
  reason quotes a line's own dates or dot counts, the engine writes it with a token in their
  place (``Token``: a text that answers ``isoformat`` and formats as itself), and the SQL puts
  the line's values in the tokens' places. Dates and whole numbers need no escaping in JSON, so
  the filled-in reason is, byte for byte, what ``wire`` writes for the reason of that line;
- ``regions``: the region reason for each pair of regions of sale and service outside one area;
- ``exclusion_terms``: the reason for each inspection finding a line's terms know.
"""

from __future__ import annotations

import orjson

from aftersales.audit.rules.compiled import first_windows, spans
from aftersales.policy.pack import Lcd, Pack
from aftersales.policy.vocabulary import REGIONS
from aftersales.warranty.rules import checks, explain
from aftersales.warranty.rules.engine import VIP_SOFTWARE_PARTS, WHOLE_UNIT, PackSet, Terms
from aftersales.warranty.rules.facts import DecisionError
from aftersales.warranty.wire import error_json, reason_json

# The tokens the SQL replaces, each with the line's value of that name.
START, END, AS_OF, REGISTERED, DEADLINE, REPAIRED, ONSITE_END, BRIGHT, DARK = (
    "⟦start⟧", "⟦end⟧", "⟦as_of⟧", "⟦registered⟧", "⟦deadline⟧", "⟦repaired⟧", "⟦onsite_end⟧", "⟦bright⟧",
    "⟦dark⟧")

class Token(str):
    """A stand-in for a date in the words of a reason: formats as itself, and as itself again
    when asked for its ISO form."""

    def isoformat(self) -> str:
        return str(self)


# The refusal of a repair made after the cover in force on its day: the ``error`` of the line.
REPAIR_REFUSAL = orjson.dumps(error_json(checks.not_under_warranty(Token(REPAIRED), Token(END), "last_repair_on"))).decode()

TABLES = {
    "spans": "product_line VARCHAR, region VARCHAR, day_from DATE, day_to DATE, label VARCHAR",
    "windows": "label VARCHAR, product_line VARCHAR, idx INTEGER, made_from DATE, made_to DATE",
    "onsite_windows": "label VARCHAR, product_line VARCHAR, idx INTEGER, made_from DATE, made_to DATE",
    "regions": "label VARCHAR, sold_in VARCHAR, service_in VARCHAR, reason VARCHAR, clause VARCHAR",
    "terms": """label VARCHAR, product_line VARCHAR, idx INTEGER, onsite_idx INTEGER, part VARCHAR,
        label_json VARCHAR, group_json VARCHAR, months INTEGER, window_clause VARCHAR, start_clause VARCHAR,
        period_a VARCHAR[], period_b VARCHAR[], basis_invoice VARCHAR, basis_manufacture VARCHAR,
        battery BOOLEAN, battery_months INTEGER, battery_registered_months INTEGER, battery_window_months INTEGER,
        battery_clause VARCHAR, battery_in_time VARCHAR, battery_unregistered VARCHAR, battery_late VARCHAR,
        repair_months INTEGER, repair_clause VARCHAR, repair VARCHAR,
        onsite_months INTEGER, onsite_clause VARCHAR, onsite_from_shipped BOOLEAN, onsite_not_offered VARCHAR,
        onsite_not_covered VARCHAR, onsite_available VARCHAR, onsite_ended VARCHAR,
        vip_visits INTEGER, vip_months INTEGER, vip_clause VARCHAR, vip VARCHAR,
        lcd BOOLEAN, lcd_bright_max INTEGER, lcd_dark_max INTEGER, lcd_clause VARCHAR, lcd_beyond VARCHAR,
        lcd_within VARCHAR""",
    "exclusion_terms": "label VARCHAR, product_line VARCHAR, code VARCHAR, reason VARCHAR, clause VARCHAR",
}


class Count(int):
    """A stand-in for a dot count: compares as the number it is made with (so the engine picks
    the wording that number gets) and is written as its token."""

    def __new__(cls, value: int, token: str):
        self = super().__new__(cls, value)
        self.token = token
        return self

    def __format__(self, spec: str) -> str:
        return self.token

    __str__ = __repr__ = lambda self: self.token


def json_text(value) -> str | None:
    """``value`` as orjson writes it; None stays None (the SQL leaves it out)."""
    return None if value is None else orjson.dumps(value).decode()


def encoded(reason) -> str:
    return orjson.dumps(reason_json(reason)).decode()


def _period(terms: Terms, months: int) -> list[str]:
    """The period reason for ``months`` by kind (``explain.NO_PERIOD`` first)."""
    return [encoded(explain.period(terms.what, months, kind, Token(START), Token(END), Token(AS_OF),
                                   terms.window.clause)) for kind in range(4)]


def _battery(terms: Terms) -> dict:
    b = terms.battery
    if b is None:
        return {"battery": False}
    words = lambda registered, in_time: encoded(explain.battery(  # noqa: E731
        registered_on=registered, deadline=Token(DEADLINE), in_time=in_time, months=b.months,
        registered_months=b.registered_months, clause=b.clause))
    return {"battery": True, "battery_months": b.months, "battery_registered_months": b.registered_months,
            "battery_window_months": b.registration_window_months, "battery_clause": json_text(b.clause),
            "battery_in_time": words(Token(REGISTERED), True), "battery_unregistered": words(None, False),
            "battery_late": words(Token(REGISTERED), False), "period_b": _period(terms, b.registered_months)}


def _onsite(terms: Terms) -> dict:
    clause = terms.onsite_clause
    return {"onsite_months": terms.onsite_months, "onsite_clause": json_text(clause),
            "onsite_from_shipped": terms.onsite_from_shipped,
            "onsite_not_offered": encoded(explain.onsite_not_offered(clause)),
            "onsite_not_covered": encoded(explain.onsite_not_covered(clause)),
            "onsite_available": encoded(explain.ONSITE_AVAILABLE.reason((Token(ONSITE_END),), clause)),
            "onsite_ended": encoded(explain.ONSITE_ENDED.reason((Token(ONSITE_END),), clause))}


def _vip(pack: Pack, line_id: str, part: str, terms: Terms) -> dict:
    """``engine.vip_software_visit`` as far as it depends on the terms: how many visits the VIP
    list gives (0: none), the whole unit's months and the reason."""
    vip = pack.vip
    whole = next((g for g in terms.window.groups if g.name == WHOLE_UNIT), None)
    if vip is None or line_id not in vip.lines or part not in VIP_SOFTWARE_PARTS or whole is None or whole.months == 0:
        return {"vip_visits": 0}
    return {"vip_visits": vip.software_visits, "vip_months": whole.months, "vip_clause": json_text(vip.clause),
            "vip": encoded(explain.VIP_SOFTWARE_VISIT.reason((Token(ONSITE_END),), vip.clause))}


def _lcd(pack: Pack, lcd_line: bool, part: str) -> dict:
    rule: Lcd | None = pack.lcd
    if not (part == "lcd-panel" and lcd_line and rule is not None):
        return {"lcd": False}
    words = lambda bright: encoded(explain.lcd(bright=Count(bright, BRIGHT), dark=Count(0, DARK), rule=rule))  # noqa: E731
    return {"lcd": True, "lcd_bright_max": rule.bright_max, "lcd_dark_max": rule.dark_max,
            "lcd_clause": json_text(rule.clause), "lcd_beyond": words(rule.bright_max + 1), "lcd_within": words(0)}


def _terms_row(packs: PackSet, pack: Pack, line_id: str, idx: int, onsite_idx: int | None, part: str) -> dict | None:
    try:
        terms = packs.terms_in(pack, line_id, (idx, onsite_idx), part)
    except DecisionError:
        return None
    line = pack.lines[line_id]
    months = terms.battery.months if terms.battery else terms.group.months
    return {
        "label": pack.label, "product_line": line_id, "idx": idx, "onsite_idx": -1 if onsite_idx is None else onsite_idx,
        "part": part, "label_json": json_text(pack.label), "group_json": json_text(terms.group.name),
        "months": terms.group.months, "window_clause": json_text(terms.window.clause),
        "start_clause": json_text(pack.start_clause), "period_a": _period(terms, months),
        "basis_invoice": encoded(explain.basis(True, Token(START), pack.start_clause)),
        "basis_manufacture": encoded(explain.basis(False, Token(START), pack.start_clause)),
        "repair_months": pack.post_repair_months, "repair_clause": json_text(pack.post_repair_clause),
        "repair": encoded(explain.post_repair(last_repair=Token(REPAIRED), repairs=1, months=pack.post_repair_months,
                                              end=Token(END), clause=pack.post_repair_clause)),
        **_battery(terms), **_onsite(terms), **_vip(pack, line_id, part, terms), **_lcd(pack, line.lcd, part),
    }


def _terms(packs: PackSet) -> list[dict]:
    rows = []
    for pack in packs.packs:
        for line_id, line in pack.lines.items():
            for idx, window in enumerate(line.coverage):
                for onsite_idx in [None, *range(len(line.onsite))]:
                    rows += filter(None, (_terms_row(packs, pack, line_id, idx, onsite_idx, part)
                                          for part in window.by_part))
    return rows


def _exclusions(packs: PackSet) -> list[tuple]:
    """The reason for each finding each pack's line knows, and the clause it cites."""
    return [(pack.label, line_id, code, encoded(explain.exclusion(code=code, clause=pack.clauses[ref])),
             json_text(pack.clauses[ref].id))
            for pack in packs.packs for line_id, line in pack.lines.items() for code, ref in line.exclusions.items()]


def _regions(packs: PackSet) -> list[tuple]:
    rows = []
    for pack in packs.packs:
        for sold_in in sorted(pack.regions):
            area = pack.area_of(sold_in)
            rows += [(pack.label, sold_in, service_in, encoded(explain.region(
                sold_in=sold_in, service_in=service_in, area=area, clause=pack.region_clause)),
                json_text(pack.region_clause)) for service_in in sorted(REGIONS)
                if service_in != sold_in and service_in not in area]
    return rows


def compile_terms(packs: PackSet) -> dict[str, list]:
    """Every table of ``TABLES``: rows as tuples, except ``terms``, rows as dicts by column."""
    windows, onsite = [], []
    for pack in packs.packs:
        for line_id, line in pack.lines.items():
            windows += [(pack.label, line_id, idx, start, end) for start, end, idx in first_windows(line.coverage)]
            onsite += [(pack.label, line_id, idx, start, end) for start, end, idx in first_windows(line.onsite)]
    return {"spans": spans(packs), "windows": windows, "onsite_windows": onsite, "regions": _regions(packs),
            "terms": _terms(packs), "exclusion_terms": _exclusions(packs)}

"""The batch's fast path: a request line read, decided and written as JSON bytes in one go.

A second implementation, for speed, of what the plain path does line by line —
``request.facts_from_mapping``, ``engine.decide``, ``wire.decision_line`` — for the lines a batch
is nearly all made of. It answers None for anything out of the ordinary (a field it does not
read plainly, a chain of repairs, LCD inspection conditions, a question the rules refuse), and
the batch then takes the plain path, which says what is wrong. The tests hold it to the plain
path and to the reference decision written from SPEC (``test_batch_fast.py``).

Why it is fast (docs/PERFORMANCE.md): the fields nearly every line carries are read in one
call, and dates are parsed once per batch; the facts travel as a tuple, never an object; for
each pack, line, part and manufacture date the words of the reasons are encoded once
(``FastTerms``), so that a line only fills in its own dates; the output line is joined from
pieces that repeat from line to line. Every memo belongs to the object that fills it.
"""

from __future__ import annotations

import datetime as dt
import re
from operator import itemgetter

import orjson

from aftersales.policy.dates import accepted
from aftersales.policy.pack import Line, Pack
from aftersales.policy.vocabulary import EXCLUSION_CODES, PARTS, PRODUCT_LINES, REGIONS
from aftersales.warranty.request import VIP_VISITS_LIMIT, parse_iso_date
from aftersales.warranty.rules import checks, explain
from aftersales.warranty.rules.dates import Memo, period_end
from aftersales.warranty.rules.engine import VIP_SOFTWARE_PARTS, WHOLE_UNIT, PackSet, Terms
from aftersales.warranty.rules.facts import DecisionError
from aftersales.warranty.rules.intake import DeviceInfo
from aftersales.warranty.wire import error_json, reason_json

_COMMON_FIELDS = ("product_line", "sold_in", "manufactured_on", "part", "service_in", "as_of", "purchased_on",
                  "registered_on")
_ALL_FIELDS = _COMMON_FIELDS + ("shipped_on", "last_repair_on", "exclusions", "lcd_dots", "lcd_inspection",
                                "repairs_on", "vip_visits_used")
_common_of = itemgetter(*_COMMON_FIELDS)
_BLANK = re.compile(rb"%(%|s)")


def compact(json: bytes) -> bytes:
    """orjson's output in a bytes object of its own size: orjson hands it back in a buffer of
    about 4 KB, too much to keep in a memo by the thousand."""
    return bytes(memoryview(json))


def encoded(reason) -> bytes:
    """A reason as ``wire`` writes it, bytes for bytes."""
    return compact(orjson.dumps(reason_json(reason)))


def encoded_wording(wording: explain.Wording, clause: str | None) -> bytes:
    """A wording as ``wire`` writes the reasons it gives, with a bytes blank (``%b``) for each
    date, English blanks first: a date needs no escaping in JSON, so filling the blanks with
    dates as ASCII bytes gives exactly what orjson writes for the filled-in reason."""
    words = orjson.dumps({"code": wording.code, "en": wording.en, "zh": wording.zh})
    words = _BLANK.sub(lambda m: b"%%" if m.group(1) == b"%" else b"%b", words)
    return words[:-1] + b',"clause":' + orjson.dumps(clause).replace(b"%", b"%%") + b"}"


class FastReader:
    """Reads a request the way ``request.facts_from_mapping`` does, into the values of ``Facts``
    in field order, for a request whose every field is present and plainly valid; None for any
    other."""

    def __init__(self):
        self.dates = Memo(_accepted_date)  # "YYYY-MM-DD" -> date; raises for anything else

    def read(self, data: dict, device: DeviceInfo | None) -> tuple | None:
        try:
            return self._read(data, device)
        except (KeyError, TypeError, ValueError):  # missing, unhashable, not a date: the careful path
            return None

    def _read(self, data: dict, device: DeviceInfo | None) -> tuple | None:
        rare = True
        if device is None and type(data) is dict:
            try:
                line, sold_in, made, part, service_in, as_of, purchased, registered = _common_of(data)
                n = len(data)
                rare = n > 9 or n == 9 and "id" not in data
            except KeyError:
                pass
        if rare:
            if type(data) is not dict:
                return None
            (line, sold_in, made, part, service_in, as_of, purchased, registered, shipped, repaired, exclusions,
             dots, inspection, repairs, vip_used) = map(data.get, _ALL_FIELDS)
            if inspection is not None or repairs is not None:
                return None
            if vip_used is None or vip_used == "":
                vip_used = 0
            elif type(vip_used) is not int or not 0 <= vip_used <= VIP_VISITS_LIMIT:
                return None  # the plain path says what is wrong with it
        else:
            shipped = repaired = exclusions = dots = None
            vip_used = 0
        dates = self.dates
        if device is None:
            made = dates[made]
            shipped = None if shipped is None else dates[shipped]
        elif line is None and sold_in is None and made is None:
            # a serial line that leaves to the registry what the registry knows
            line, sold_in, made, shipped = device.product_line, device.sold_in, device.manufactured_on, device.shipped_on
            if not accepted(made) or shipped is not None and not accepted(shipped):
                return None  # a registry date outside those accepted: the plain path refuses it
        else:
            return None  # to be compared with the registry: the careful path
        if service_in is None or service_in == "":
            service_in = sold_in
        if not (line in PRODUCT_LINES and part in PARTS and sold_in in REGIONS and service_in in REGIONS
                and (dots is None or _plain_dots(dots))
                and (not exclusions or type(exclusions) is list and EXCLUSION_CODES.issuperset(exclusions))):
            return None
        return (line, made, part, dates[as_of], sold_in, service_in,
                None if purchased is None else dates[purchased], None if registered is None else dates[registered],
                shipped, None if repaired is None else dates[repaired],
                None if dots is None else dots["bright"], None if dots is None else dots["dark"],
                None, tuple(dict.fromkeys(exclusions)) if exclusions else (), (), vip_used)


def _accepted_date(value) -> dt.date:
    """A date as ``parse_iso_date`` reads it, one the product accepts; ValueError for any other."""
    day = parse_iso_date(value)
    if not accepted(day):
        raise ValueError(f"outside the dates accepted: {day}")
    return day


def _plain_dots(dots) -> bool:
    """``{"bright": n, "dark": n}`` with both whole numbers of 0 or more, nothing else."""
    return (type(dots) is dict and len(dots) == 2 and type(dots.get("bright")) is int
            and type(dots.get("dark")) is int and dots["bright"] >= 0 and dots["dark"] >= 0)


class FastTerms:
    """What the fast path needs for one pack's line, part and window of manufacture dates, worked
    out once: the periods' ends by start date, and the reasons and the pieces of an output line
    already encoded, by the dates and findings they quote. The memos that depend only on a
    length or a clause are the ``FastPath``'s, shared by every ``FastTerms`` that reads them."""

    def __init__(self, fast: FastPath, pack: Pack, line: Line, part: str, terms: Terms):
        self.terms, self.months, self.onsite_months = terms, terms.group.months, terms.onsite_months
        self.from_shipped, self.known = terms.onsite_from_shipped, line.exclusions
        self.lcd_rule = part == "lcd-panel" and line.lcd and pack.lcd is not None
        self.ends, self.onsite_ends = fast.ends[terms.group.months], fast.ends[terms.onsite_months]
        self.other_ends = fast.ends  # months -> start -> end
        self.deadlines = fast.ends[terms.battery.registration_window_months] if terms.battery else None
        self.repair_ends = fast.ends[pack.post_repair_months]
        self.periods = Memo(lambda key: encoded_wording(explain.period_wording(terms.what, *key), terms.window.clause))
        self.period_plain = tuple(self.periods[(self.months, kind)] for kind in range(4))  # by period kind
        self.basis = {invoice: fast.basis[(invoice, pack.start_clause)] for invoice in (True, False)}
        clause = terms.onsite_clause
        self.onsite_available, self.onsite_ended = fast.onsite[(True, clause)], fast.onsite[(False, clause)]
        self.onsite_not_offered = encoded(explain.onsite_not_offered(clause))
        self.onsite_not_covered = encoded(explain.onsite_not_covered(clause))
        self.head = Memo(lambda key: _head(terms.group.name, *key))  # (invoice, months)
        self.tail = Memo(lambda special: self._tail(special, terms.onsite_clause))  # special rules' clauses -> the end
        self.tail_plain = self.tail[()]
        self.battery = Memo(lambda key: encoded(_battery(terms.battery, *key)))  # (registered, deadline, in time)
        self.repair = Memo(lambda key: encoded(explain.post_repair(
            last_repair=key[0], repairs=1, months=pack.post_repair_months, end=key[1], clause=pack.post_repair_clause)))
        self.region = Memo(lambda key: encoded(explain.region(
            sold_in=key[0], service_in=key[1], area=pack.area_of(key[0]), clause=pack.region_clause)))
        self.exclusion = Memo(lambda code: encoded(explain.exclusion(code=code, clause=pack.clauses[line.exclusions[code]])))
        self.lcd = Memo(lambda key: _lcd(explain.lcd(bright=key[0], dark=key[1], rule=pack.lcd)))
        self.post_repair_clause, self.area, self.region_clause = pack.post_repair_clause, pack.area_of, pack.region_clause
        self.lcd_clause = pack.lcd.clause if pack.lcd else None
        self._vip(pack, line, part, terms, fast)

    def _vip(self, pack: Pack, line: Line, part: str, terms: Terms, fast: FastPath) -> None:
        """The VIP software on-site visit: how many the VIP list gives for this line and part (0:
        none), the whole unit's ends by start, the reason by its end, and the line's end citing it."""
        vip = pack.vip
        whole = next((g for g in terms.window.groups if g.name == WHOLE_UNIT), None)
        offered = (vip is not None and line.id in vip.lines and part in VIP_SOFTWARE_PARTS and whole is not None
                   and whole.months > 0)
        self.vip_visits = vip.software_visits if offered else 0
        if offered:
            self.vip_ends = fast.ends[whole.months]
            self.vip_reason = Memo(lambda end: encoded(explain.VIP_SOFTWARE_VISIT.reason((end,), vip.clause)))
            self.vip_tail = Memo(lambda special: self._tail(special, vip.clause))

    def _tail(self, special: tuple[str, ...], onsite_clause: str | None) -> bytes:
        cited = dict.fromkeys(c for c in (*self.terms.clauses, *special, onsite_clause) if c)
        return b'],"clauses":' + orjson.dumps(list(cited)) + b',"pack":' + orjson.dumps(self.terms.label) + b"}"


def _head(group: str, invoice: bool, months: int) -> bytes:
    """The line from the basis to the on-site part."""
    head = orjson.dumps({"basis": "invoice" if invoice else "manufacture", "group": group, "months": months})
    return b"," + head[1:-1] + b',"onsite":'


def _onsite_part(eligible: bool, onsite_end: dt.date | None) -> bytes:
    """The on-site part of a line, and the start of its reasons."""
    return orjson.dumps({"eligible": eligible, "ends_on": onsite_end.isoformat() if onsite_end else None}) + (
        b',"reasons":[')


def _battery(rule, registered: dt.date | None, deadline: dt.date, in_time: bool):
    return explain.battery(registered_on=registered, deadline=deadline, in_time=in_time, months=rule.months,
                           registered_months=rule.registered_months, clause=rule.clause)


def _lcd(reason) -> tuple[bytes, bool]:
    return encoded(reason), reason.code == "lcd-within-tolerance"


_COVERED = {True: b',"covered":true,"starts_on":', False: b',"covered":false,"starts_on":'}


class ErrorLine(bytes):
    """An answer line that refuses its request, ``wire.error_line`` byte for byte (the batch
    counts them)."""


class FastPath:
    """The batch's fast path over a ``PackSet``: ``read`` a request line into the values of
    ``Facts``, then ``line`` writes its answer, ``wire.decision_line(id, engine.decide(Facts(*values),
    packs))`` byte for byte, or None where the plain path must answer. A repair not made under
    warranty is refused with an ``ErrorLine``, ``wire.error_line`` of the engine's own error."""

    def __init__(self, packs: PackSet):
        self.packs = packs
        self.read = FastReader().read
        # (pack label, line, made) -> part -> FastTerms, or None where the rules refuse: one table
        # of parts for every manufacture date the same windows hold
        self.terms = Memo(self._parts_on, limit=100_000)
        self.parts = Memo(self._parts_in, limit=10_000)  # (pack label, line, windows) -> the table
        self.date = Memo(lambda day: compact(orjson.dumps(day.isoformat())))  # b'"YYYY-MM-DD"'
        self.ends_on = Memo(lambda day: b',"ends_on":' + self.date[day])
        self.iso = Memo(lambda day: day.isoformat().encode())  # b"YYYY-MM-DD"
        # shared by every FastTerms: by length, months -> start -> the period's end; by the start
        # rule's clause, the basis reasons by start; by the on-site clause, the on-site reasons by
        # end; the on-site part of a line by (eligible, on-site end)
        self.ends = Memo(lambda months: Memo(lambda start: period_end(start, months)), limit=1_000)
        self.basis = Memo(lambda key: Memo(lambda start: encoded(explain.basis(key[0], start, key[1]))), limit=1_000)
        self.onsite = Memo(lambda key: Memo(lambda end: encoded(
            (explain.ONSITE_AVAILABLE if key[0] else explain.ONSITE_ENDED).reason((end,), key[1]))), limit=1_000)
        self.onsite_part = Memo(lambda key: _onsite_part(*key))

    def _parts_on(self, key: tuple) -> Memo:
        label, line_id, made = key
        pack = self.packs.by_label(label)
        return self.parts[(label, line_id, self.packs.windows(pack, line_id, made))]

    def _parts_in(self, key: tuple) -> Memo:
        label, line_id, windows = key
        pack = self.packs.by_label(label)

        def fast_terms(part: str) -> FastTerms | None:
            try:
                terms = self.packs.terms_in(pack, line_id, windows, part)
            except DecisionError:
                return None
            return FastTerms(self, pack, pack.lines[line_id], part, terms)

        return Memo(lambda part: None if windows[0] is None else fast_terms(part), limit=1_000)

    def line(self, line_id, v: tuple) -> bytes | None:
        (product_line, made, part, as_of, sold_in, service_in, purchased, registered, shipped, repaired,
         bright, dark, inspection, exclusions, repairs, vip_used) = v
        pack = self.packs.select(product_line, sold_in, as_of)
        t = None if pack is None else self.terms[(pack.label, product_line, made)][part]
        if t is None or inspection is not None or repairs or service_in not in REGIONS:
            return None
        invoice = purchased is not None
        start = purchased if invoice else made
        if not (start <= as_of and made <= start and (registered is None or start <= registered <= as_of)
                and (repaired is None or start <= repaired <= as_of) and (shipped is None or made <= shipped)
                and (bright is None or t.lcd_rule) and (not exclusions or t.known.keys() >= set(exclusions))):
            return None  # a question the rules refuse: the plain path says why
        months, end, extra, special = t.months, t.ends[start], [], []
        if t.terms.battery is not None:
            months, end = _battery_rule(t, start, registered, extra, special)
        if repaired is not None:
            if repaired > end:  # not a warranty repair: refused, as the plain path would (not memoised:
                # the words quote two dates, which hardly ever come back together)
                refusal = checks.not_under_warranty(repaired, end, "last_repair_on")
                return ErrorLine(orjson.dumps({"id": line_id, "error": error_json(refusal)}))
            end = _repair_rule(t, repaired, end, extra, special)
        if service_in == sold_in and not exclusions and bright is None:
            covered = start <= as_of <= end
        else:
            covered = _inspection(t, sold_in, service_in, exclusions, bright, dark, extra, special) and (
                start <= as_of <= end)
        if t.onsite_months == 0:
            eligible, onsite_end, onsite = False, None, t.onsite_not_offered
        else:
            onsite_start = purchased if invoice else shipped if t.from_shipped and shipped is not None else made
            onsite_end = t.onsite_ends[onsite_start]
            if end < onsite_end:
                onsite_end = end
            eligible = covered and onsite_start <= as_of <= onsite_end
            onsite = (t.onsite_available[onsite_end] if eligible else t.onsite_ended[onsite_end] if covered
                      else t.onsite_not_covered)
        tail = t.tail[tuple(special)] if special else t.tail_plain
        if covered and not eligible and vip_used < t.vip_visits:  # the VIP software on-site visit
            until = t.vip_ends[start]
            if end < until:
                until = end
            if as_of <= until:
                eligible, onsite_end, onsite, tail = True, until, t.vip_reason[until], t.vip_tail[tuple(special)]
        return b"".join((
            b'{"id":', orjson.dumps(line_id), _COVERED[covered], self.date[start], self.ends_on[end],
            t.head[(invoice, months)], self.onsite_part[(eligible, onsite_end)],
            b",".join((self._period(t, months, covered, start, end, as_of), t.basis[invoice][start], *extra, onsite)),
            tail))

    def _period(self, t: FastTerms, months: int, covered: bool, start: dt.date, end: dt.date, as_of: dt.date) -> bytes:
        kind = explain.NO_PERIOD if months == 0 else explain.COVERED if covered else (
            explain.ENDED if as_of > end else explain.NOT_COVERED)
        words = t.period_plain[kind] if months == t.months else t.periods[(months, kind)]
        if kind == explain.NO_PERIOD:
            return words % ()
        iso = self.iso
        s, e = iso[start], iso[end]
        if kind == explain.ENDED:
            a = iso[as_of]
            return words % (s, e, a, s, e, a)
        return words % (s, e, s, e)


def _battery_rule(t: FastTerms, start: dt.date, registered: dt.date | None, extra: list, special: list):
    """``engine.period`` for a battery under a battery rule: the months and the end."""
    b = t.terms.battery
    deadline = t.deadlines[start]
    in_time = registered is not None and registered <= deadline
    months = b.registered_months if in_time else b.months
    extra.append(t.battery[(registered, deadline, in_time)])
    special.append(b.clause)
    return months, t.ends[start] if months == t.months else t.other_ends[months][start]


def _repair_rule(t: FastTerms, repaired: dt.date, end: dt.date, extra: list, special: list) -> dt.date:
    """``engine.after_repairs`` for one repair made under warranty: the end it gives."""
    repair_end = t.repair_ends[repaired]
    if repair_end <= end:
        return end
    extra.append(t.repair[(repaired, repair_end)])
    special.append(t.post_repair_clause)
    return repair_end


def _inspection(t: FastTerms, sold_in: str, service_in: str, exclusions: tuple, bright, dark, extra: list,
                special: list) -> bool:
    """``engine.inspection``: adds the region, exclusion and LCD reasons; False when one takes
    the cover away."""
    keeps = True
    if service_in != sold_in and service_in not in t.area(sold_in):
        extra.append(t.region[(sold_in, service_in)])
        special.append(t.region_clause)
        keeps = False
    for code in exclusions:
        extra.append(t.exclusion[code])
        special.append(t.known[code])
        keeps = False
    if bright is not None:
        reason, within_tolerance = t.lcd[(bright, dark)]
        extra.append(reason)
        special.append(t.lcd_clause)
        keeps = keeps and not within_tolerance
    return keeps

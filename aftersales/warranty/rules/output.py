"""The one JSON shape of a decision, used by the batch command and the REST API alike."""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter

import orjson

from aftersales.warranty.rules.dates import Memo, iso
from aftersales.warranty.rules.facts import Decision, compact


def decision_dict(d: Decision, *, with_clauses: bool = False) -> dict:
    out = {
        "covered": d.covered,
        "starts_on": iso(d.starts_on),
        "ends_on": iso(d.ends_on),
        "basis": d.basis,
        "onsite": {"eligible": d.onsite_eligible,
                   "ends_on": iso(d.onsite_ends_on) if d.onsite_ends_on else None},
        "reasons": [r.as_json for r in d.reasons],
        "pack": d.pack,
    }
    if with_clauses:
        out["group"] = d.group
        out["months"] = d.months
        out["clauses"] = list(d.clauses)
    return out


# -- the batch line, as bytes ---------------------------------------------------------------------
# ``decision_line(id, d)`` is ``orjson.dumps({"id": id, **decision_dict(d)})``, byte for byte
# (the batch tests compare the two), put together from pieces instead: a batch writes a million
# such lines, and most of each one (the reasons above all) repeats from line to line. A value's
# JSON on its own is the same bytes as inside an object, so each piece is orjson's own output.

_COVERED = {True: b',"covered":true,"starts_on":', False: b',"covered":false,"starts_on":'}
_json_of = attrgetter("json")
# the pieces, memoised: the same few thousand values come back on every chunk
_DATE = Memo(lambda day: compact(orjson.dumps(iso(day))))
_ENDS_ON = Memo(lambda day: b',"ends_on":' + _DATE[day])
_PACK = Memo(lambda label: b'],"pack":' + orjson.dumps(label) + b"}")


def _middle(basis: str, eligible: bool) -> Memo:
    """The basis and the on-site part of a line, by on-site end (or None)."""
    def build(end):
        middle = orjson.dumps({"basis": basis, "onsite": {"eligible": eligible, "ends_on": iso(end) if end else None}})
        return b"," + middle[1:-1] + b',"reasons":['
    return Memo(build)


_MIDDLE = {basis: {eligible: _middle(basis, eligible) for eligible in (True, False)}
           for basis in ("invoice", "manufacture")}


def decision_line(line_id, d: tuple) -> bytes:
    """One output line of the batch (without its newline) for the line whose ``id`` is given:
    ``d`` is a decision's values in field order (``engine.decide_values``; for a ``Decision``,
    ``decision_values(d)``)."""
    covered, start, end, basis, _, _, eligible, onsite_end, reasons, pack, _ = d
    return b"".join((
        b'{"id":', orjson.dumps(line_id), _COVERED[covered], _DATE[start], _ENDS_ON[end],
        _MIDDLE[basis][eligible][onsite_end], b",".join(map(_json_of, reasons)), _PACK[pack],
    ))


decision_values = attrgetter(*(f.name for f in fields(Decision)))

"""The one JSON shape of a decision, used by the batch command and the REST API alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from operator import attrgetter

import orjson

from aftersales.warranty.rules.dates import iso
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
_CACHE_LIMIT = 100_000
_pieces: dict = {}  # a date; (basis, on-site eligible, on-site end); a pack label -> its bytes
_json_of = attrgetter("json")


def _piece(key) -> bytes:
    """The bytes for a date, for the middle of a line (basis and on-site) or for its end (the
    pack), memoised: the same few thousand values come back on every chunk."""
    if len(_pieces) > _CACHE_LIMIT:
        _pieces.clear()
    if isinstance(key, dt.date):
        found = compact(orjson.dumps(iso(key)))
    elif isinstance(key, tuple):
        basis, eligible, end = key
        middle = orjson.dumps({"basis": basis, "onsite": {"eligible": eligible,
                                                          "ends_on": iso(end) if end else None}})
        found = b"," + middle[1:-1] + b',"reasons":['
    else:
        found = b'],"pack":' + orjson.dumps(key) + b"}"
    _pieces[key] = found
    return found


def decision_line(line_id, d: tuple) -> bytes:
    """One output line of the batch (without its newline) for the line whose ``id`` is given:
    ``d`` is a decision's values in field order (``engine.decide_values``; for a ``Decision``,
    ``decision_values(d)``)."""
    covered, start, end, basis, _, _, eligible, onsite_end, reasons, pack, _ = d
    known = _pieces.get  # a look-up rather than a call of _piece for the values seen before
    middle = (basis, eligible, onsite_end)
    return b"".join((
        b'{"id":', orjson.dumps(line_id), _COVERED[covered],
        known(start) or _piece(start),
        b',"ends_on":', known(end) or _piece(end),
        known(middle) or _piece(middle),
        b",".join(map(_json_of, reasons)),
        known(pack) or _piece(pack),
    ))


decision_values = attrgetter(*(f.name for f in fields(Decision)))

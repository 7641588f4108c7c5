"""The one JSON shape of a warranty decision, and of a refusal, for every channel.

A decision is::

    {"covered", "starts_on", "ends_on", "basis", "group", "months",
     "onsite": {"eligible", "ends_on"},
     "reasons": [{"code", "en", "zh", "clause"}], "clauses": [clause ids], "pack"}

with dates written YYYY-MM-DD. The batch writes it a line at a time after the line's ``id``; the
API answers with it and adds what the request brings (the part, the device, the clause texts,
the explanation in the language asked for); the portal and the console show it; a repair case
keeps it. A refusal is ``{"code", "en", "zh"}`` (the batch puts it under ``error`` after the
``id``).
"""

from __future__ import annotations

import orjson

from aftersales.core.errors import AppError
from aftersales.warranty.rules.facts import Decision, Reason


def reason_json(r: Reason) -> dict:
    return {"code": r.code, "en": r.en, "zh": r.zh, "clause": r.clause}


def decision_json(d: Decision) -> dict:
    return {
        "covered": d.covered,
        "starts_on": d.starts_on.isoformat(),
        "ends_on": d.ends_on.isoformat(),
        "basis": d.basis,
        "group": d.group,
        "months": d.months,
        "onsite": {"eligible": d.onsite_eligible,
                   "ends_on": d.onsite_ends_on.isoformat() if d.onsite_ends_on else None},
        "reasons": [reason_json(r) for r in d.reasons],
        "clauses": list(d.clauses),
        "pack": d.pack,
    }


def error_json(exc: AppError) -> dict:
    return {"code": exc.code, "en": exc.en, "zh": exc.zh}


def decision_line(line_id, d: Decision) -> bytes:
    """A batch output line (without its newline) for the line whose ``id`` is given."""
    return orjson.dumps({"id": line_id, **decision_json(d)})


def error_line(line_id, exc: AppError) -> bytes:
    return orjson.dumps({"id": line_id, "error": error_json(exc)})

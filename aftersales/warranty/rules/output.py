"""The one JSON shape of a decision, used by the batch command and the REST API alike."""

from __future__ import annotations

from aftersales.warranty.rules.dates import iso
from aftersales.warranty.rules.facts import Decision


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

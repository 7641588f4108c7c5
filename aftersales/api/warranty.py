"""Warranty endpoints: decide for a serial number, or for explicit facts."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation
from ninja import Query, Router, Status

from aftersales.api.api import require_action
from aftersales.api.schemas import DecisionIn, DecisionOut, ErrorOut
from aftersales.core.ratelimit import check_rate
from aftersales.warranty.decisions import warranty_decide
from aftersales.warranty.rules.intake import bad
from aftersales.warranty.packs import pack_get

router = Router(tags=["warranty"])

ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _out(decision, facts, device) -> dict:
    pack = pack_get(decision.pack)
    zh = (translation.get_language() or "en").startswith("zh")
    return {
        "covered": decision.covered, "starts_on": decision.starts_on, "ends_on": decision.ends_on,
        "basis": decision.basis, "group": decision.group, "months": decision.months,
        "onsite": {"eligible": decision.onsite_eligible, "ends_on": decision.onsite_ends_on},
        "part": facts.part,
        "reasons": [{"code": r.code, "en": r.en, "zh": r.zh, "clause": r.clause} for r in decision.reasons],
        "explanation": ("" if zh else " ").join(r.zh if zh else r.en for r in decision.reasons),
        "clauses": [{"id": c, "source": pack.clauses[c].source, "en": pack.clauses[c].en,
                     "zh": pack.clauses[c].zh} for c in decision.clauses],
        "pack": decision.pack,
        "hotline": pack.lines[facts.product_line].hotline,
        "device": None if device is None else {
            "serial": device.serial, "model": device.model, "product_line": device.product_line,
            "manufactured_on": device.manufactured_on, "sold_in": device.sold_in},
    }


class SerialQuery(DecisionIn):
    pass


@router.get("/devices/{serial}/warranty", response={200: DecisionOut, **ERRORS},
            summary="Warranty for a serial number",
            description="Decides for the device behind the serial number. Give `part` or `symptom`; "
                        "`purchased_on` when there is a valid invoice (otherwise the manufacture date "
                        "counts). 404 when the serial is unknown, 422 when the facts cannot be decided "
                        "(impossible dates, a part the product does not have), 429 when a client asks "
                        "too often.")
def device_warranty(request: HttpRequest, serial: str, query: Query[SerialQuery]):
    require_action(request, "warranty.check")
    check_rate(request, "warranty")
    data = query.dict(exclude_none=True)
    data.pop("serial", None)
    data["serial"] = serial
    return Status(200, _out(*warranty_decide(data=data)))


@router.post("/warranty/decisions", response={200: DecisionOut, **ERRORS, 413: ErrorOut},
             summary="Warranty decision from a serial number or explicit facts",
             description="Same engine and answers as the batch command and the portal. Give `serial`, "
                         "or `product_line`, `manufactured_on` and `sold_in`.")
def create_decision(request: HttpRequest, payload: DecisionIn):
    require_action(request, "warranty.check")
    check_rate(request, "warranty")
    data = payload.dict(exclude_none=True)
    if not data.get("serial") and not data.get("product_line"):
        raise bad("serial", "missing-field", "Give serial, or product_line with manufactured_on and sold_in.",
                  "请提供序列号，或产品线、生产日期和销售地区。")
    return Status(200, _out(*warranty_decide(data=data)))

"""Warranty endpoints: decide for a serial number, or for explicit facts."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation
from ninja import Query, Router, Status

from aftersales.api.api import require_action
from aftersales.api.schemas import DecisionIn, DecisionOut, ErrorOut
from aftersales.core import clock
from aftersales.core.ratelimit import check_rate
from aftersales.warranty.decisions import WarrantyAnswer, warranty_decide
from aftersales.warranty.request import bad
from aftersales.warranty.wire import decision_json

router = Router(tags=["warranty"])

ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _out(answer: WarrantyAnswer) -> dict:
    """The decision in its one JSON shape, with what the request adds: the part asked about, the
    device, the reasons as one text in the language asked for, the texts of the clauses cited
    and the hotline, all from the pack that decided."""
    decision, pack, device = answer.decision, answer.pack, answer.device
    zh = (translation.get_language() or "en").startswith("zh")
    return {
        **decision_json(decision),
        "part": answer.facts.part,
        "explanation": ("" if zh else " ").join(r.zh if zh else r.en for r in decision.reasons),
        "clause_texts": [{"id": c, "source": pack.clauses[c].source, "en": pack.clauses[c].en,
                          "zh": pack.clauses[c].zh} for c in decision.clauses],
        "hotline": pack.lines[answer.facts.product_line].hotline,
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
    now = clock.now()
    check_rate(request, "warranty", now=now)
    data = query.dict(exclude_none=True)
    data.pop("serial", None)
    data["serial"] = serial
    return Status(200, _out(warranty_decide(data=data, now=now)))


@router.post("/warranty/decisions", response={200: DecisionOut, **ERRORS, 413: ErrorOut},
             summary="Warranty decision from a serial number or explicit facts",
             description="Same engine and the same decision shape as the batch command and the portal. "
                         "Give `serial`, or `product_line`, `manufactured_on` and `sold_in`.")
def create_decision(request: HttpRequest, payload: DecisionIn):
    require_action(request, "warranty.check")
    now = clock.now()
    check_rate(request, "warranty", now=now)
    data = payload.dict(exclude_none=True)
    if not data.get("serial") and not data.get("product_line"):
        raise bad("serial", "missing-field", "Give serial, or product_line with manufactured_on and sold_in.",
                  "请提供序列号，或产品线、生产日期和销售地区。")
    return Status(200, _out(warranty_decide(data=data, now=now)))

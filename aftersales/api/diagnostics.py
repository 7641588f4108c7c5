"""The maker's diagnostic tool posts its results here, signed (see ``csr.diagnostics``)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status

from aftersales.api.api import require_action
from aftersales.api.schemas import ErrorOut
from aftersales.core import clock
from aftersales.csr.diagnostics import diagnostic_record

router = Router(tags=["self-repair"])


class DiagnosticIn(Schema):
    serial: str
    part: str
    test_id: str
    result: str  # fault-confirmed or no-fault
    tested_at: dt.datetime


class DiagnosticOut(Schema):
    id: int
    serial: str
    part: str
    result: str
    can_apply: bool


_HEADERS = [{"in": "header", "name": name, "required": True, "schema": {"type": "string"}, "description": text}
            for name, text in (("X-Signature-Timestamp", "signing time, Unix seconds (within 5 minutes of ours)"),
                               ("X-Signature-Nonce", "16 to 64 letters, digits, - or _; used once"),
                               ("X-Signature", "hex HMAC-SHA256 of timestamp, newline, nonce, newline, body"))]
_BODY = {"required": True, "content": {"application/json": {"schema": DiagnosticIn.model_json_schema()}}}


@router.post("/self-repair/diagnostic-results",
             response={201: DiagnosticOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                       409: ErrorOut, 413: ErrorOut, 422: ErrorOut},
             summary="Record a signed diagnostic result", openapi_extra={"requestBody": _BODY, "parameters": _HEADERS},
             description="For the maker's diagnostic tool. 401 when the signature is missing, wrong or stale; "
                         "409 when the same signed request comes twice; 404 while no secret is shared with the "
                         "tool. A confirmed fault lets the owner apply "
                         "for the part.")
def diagnostic_result_post(request: HttpRequest):
    require_action(request, "csr.diagnostic")
    h = request.headers
    result = diagnostic_record(body=request.body, timestamp=h.get("X-Signature-Timestamp", ""),
                               nonce=h.get("X-Signature-Nonce", ""), signature=h.get("X-Signature", ""),
                               now=clock.now())
    return Status(201, {"id": result.id, "serial": result.serial, "part": result.part, "result": result.outcome,
                 "can_apply": result.outcome == result.Outcome.FAULT})

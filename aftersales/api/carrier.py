"""The carrier posts its scans of self-repair parcels here, signed (see ``csr.carrier``)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status

from aftersales.api.api import require_action
from aftersales.api.schemas import ErrorOut
from aftersales.core import clock
from aftersales.csr.carrier import carrier_scan_record

router = Router(tags=["self-repair"])


class ScanIn(Schema):
    event_id: str
    tracking: str
    event: str  # picked-up, in-transit or delivered
    time: dt.datetime


class ScanOut(Schema):
    event_id: str
    leg: str  # outbound (the part sent) or return
    event: str
    status: str  # the order's status after the scan
    recorded: bool  # false when the same event came before


_HEADERS = [{"in": "header", "name": name, "required": True, "schema": {"type": "string"}, "description": text}
            for name, text in (("X-Signature-Timestamp", "signing time, Unix seconds (within 5 minutes of ours)"),
                               ("X-Signature-Nonce", "16 to 64 letters, digits, - or _; used once"),
                               ("X-Signature", "hex HMAC-SHA256 of timestamp, newline, nonce, newline, body"))]
_BODY = {"required": True, "content": {"application/json": {"schema": ScanIn.model_json_schema()}}}


@router.post("/self-repair/carrier-scans",
             response={200: ScanOut, 201: ScanOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                       409: ErrorOut, 413: ErrorOut, 422: ErrorOut},
             summary="Record a signed carrier scan", openapi_extra={"requestBody": _BODY, "parameters": _HEADERS},
             description="For the carrier. 201 for a new scan, 200 for an event_id sent before (nothing changes); "
                         "401 when the signature is missing, wrong or stale; 404 for a tracking number of no "
                         "self-repair parcel, or while no secret is shared with the carrier; 409 when the same "
                         "signed request comes twice, an event_id comes with another scan, or the order cannot "
                         "take the step.")
def carrier_scan_post(request: HttpRequest):
    require_action(request, "csr.carrier")
    h = request.headers
    scan, new = carrier_scan_record(body=request.body, timestamp=h.get("X-Signature-Timestamp", ""),
                                    nonce=h.get("X-Signature-Nonce", ""), signature=h.get("X-Signature", ""),
                                    now=clock.now())
    return Status(201 if new else 200, {"event_id": scan.event_id, "leg": scan.leg, "event": scan.event,
                                        "status": scan.order.status, "recorded": new})

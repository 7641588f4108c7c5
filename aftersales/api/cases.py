"""Repair-case endpoints for customers: book a case, and look one up with its number plus the
e-mail or phone on file (rate-limited; the same answer whichever detail is wrong).

The look-up is the busiest public read, so it takes the shortest way through: its body is
validated by ``LookupIn`` straight from the JSON bytes (pydantic's own parser; errors answer as
every other endpoint's do), the rate limit is counted and the answer read in one SQL statement
(``repairs.lookup``), and the answer is written straight to JSON in ``CaseOut``'s shape (the
schema the OpenAPI document gives, which ``test_cases_api`` checks the answer against), without
building the schema's objects first.
"""

from __future__ import annotations

import datetime as dt

import orjson
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import ValidationError as InvalidBody

from aftersales.api.api import require_action
from aftersales.api.schemas import ErrorOut
from aftersales.core import clock
from aftersales.core.ratelimit import Hit, client_address, rate_limit_hit
from aftersales.repairs.lookup import CaseStatus, case_status
from aftersales.repairs.numbers import display
from aftersales.repairs.services import Intake, case_book
from aftersales.repairs.status import status_label
from aftersales.warranty.request import date_field

router = Router(tags=["repair cases"])


class LookupIn(Schema):
    number: str = Field(..., examples=["R7KM-9Q2T-5WX4"])
    contact: str = Field(..., description="the e-mail address or phone number given at booking")


class EventOut(Schema):
    at: dt.datetime
    kind: str
    en: str
    zh: str


class SymptomOut(Schema):
    position: int
    reported: str
    finding: str | None


class CaseOut(Schema):
    number: str
    display_number: str
    status: str
    status_en: str
    status_zh: str
    model: str
    serial: str
    symptoms: list[SymptomOut]
    timeline: list[EventOut]


class IntakeIn(Schema):
    centre: str = Field(..., examples=["sh-01"])
    kind: str = Field(..., examples=["carry-in"], description="carry-in, mail-in or onsite")
    customer_name: str
    email: str = ""
    phone: str = ""
    language: str = Field("en", description="en or zh-hans: the language of every message")
    serial: str
    purchased_on: str | None = Field(None, description="YYYY-MM-DD, from a valid invoice")
    operating_system: str = ""
    bios_version: str = ""
    symptoms: list[str] = Field(..., description="one reported fault per item")
    preference: str = Field("own-device", description="own-device or refurbished")
    ack_data_loss: bool
    ack_passwords: bool
    ack_peripherals: bool


class BookedOut(Schema):
    number: str
    display_number: str
    status: str


# Instants written as every other answer of the API writes them (ECMA-262: milliseconds, "Z").
_instant = DjangoJSONEncoder().default


def _case_out(case: CaseStatus) -> dict:
    return {
        "number": case.number, "display_number": display(case.number), "status": case.status,
        "status_en": status_label(case.status, "en"), "status_zh": status_label(case.status, "zh-hans"),
        "model": case.model, "serial": case.serial,
        "symptoms": [{"position": position, "reported": reported, "finding": finding}
                     for position, reported, finding in case.symptoms],
        "timeline": [{"at": _instant(at), "kind": kind, "en": en, "zh": zh} for at, kind, en, zh in case.timeline],
    }


_LOOKUP_BODY = {"required": True, "content": {"application/json": {"schema": LookupIn.model_json_schema()}}}


@router.post("/cases/lookup", response={200: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut,
                                       429: ErrorOut},
             summary="Follow a repair case", openapi_extra={"requestBody": _LOOKUP_BODY},
             description="Needs the case number and the e-mail or phone on file. 404 says only that no case "
                         "matches both, whichever was wrong; 429 when an address asks too often.")
def lookup(request: HttpRequest):
    try:
        payload = LookupIn.model_validate_json(request.body)
    except InvalidBody as exc:
        raise ValidationError(exc.errors(include_url=False, include_input=False)) from None
    require_action(request, "case.lookup")
    return lookup_answer(request, payload)


def lookup_answer(request: HttpRequest, payload: LookupIn) -> HttpResponse:
    """The look-up of a valid body, counted against the client's limit; raises the ``AppError``
    the API answers with (404, 429)."""
    return HttpResponse(lookup_content(request, payload), content_type=LOOKUP_CONTENT_TYPE)


LOOKUP_CONTENT_TYPE = "application/json; charset=utf-8"


def lookup_content(request: HttpRequest, payload: LookupIn) -> bytes:
    """The 200 answer's body to a valid look-up (``lookup_answer``'s, which ``api.lookup_route``
    also sends, with headers it worked out once); raises as ``lookup_answer`` does."""
    found = case_status(number=payload.number, contact=payload.contact,
                        counting=Hit("case-lookup", client_address(request), settings.CASE_LOOKUPS_PER_MINUTE))
    return orjson.dumps(_case_out(found))


@router.post("/cases", response={201: BookedOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut,
                                 429: ErrorOut},
             summary="Book a repair case",
             description="Issues a case number before the device arrives. 404 when the serial number is "
                         "unknown; 400 for a missing acknowledgement, contact or fault description.")
def book(request: HttpRequest, payload: IntakeIn):
    require_action(request, "case.book")
    rate_limit_hit(scope="case-booking", client=client_address(request), limit=settings.CASE_LOOKUPS_PER_MINUTE)
    data = payload.dict()
    data["purchased_on"] = date_field(data, "purchased_on")
    with transaction.atomic():
        case = case_book(intake=Intake(**data), actor=request.user, now=clock.now())
    return Status(201, {"number": case.number, "display_number": display(case.number), "status": case.status})

"""Request and response shapes of the REST API (they become the OpenAPI schema)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


VIP_VISITS_HELP = ("how many VIP software on-site visits the device has used (ROG desktops include one "
                   "within the whole-unit warranty); a whole number from 0 to 99, default 0")


class ErrorBody(Schema):
    code: str = Field(..., description="stable machine-readable code, e.g. unknown-serial")
    en: str = Field(..., description="the message in English")
    zh: str = Field(..., description="the message in Chinese")
    message: str = Field(..., description="the message in the language asked for by Accept-Language")
    field: str | None = Field(None, description="the request field at fault, when there is one")


class ErrorOut(Schema):
    error: ErrorBody


class ReasonOut(Schema):
    code: str
    en: str
    zh: str
    clause: str | None = Field(None, description="id of the pack clause this reason applies")


class CiteOut(Schema):
    document: str = Field(..., description="the id of the published document, from the pack's [documents]")
    title_en: str
    title_zh: str
    published_on: str | None = Field(None, description="the date the document was published, YYYY-MM-DD")
    section_en: str
    section_zh: str


class ClauseOut(Schema):
    id: str
    source: str = Field(..., description="the published document, its date and section, as a person reads it, "
                                         "in the language asked for")
    cites: list[CiteOut]
    en: str
    zh: str


class OnsiteOut(Schema):
    eligible: bool
    ends_on: dt.date | None


class DeviceOut(Schema):
    serial: str
    model: str
    product_line: str
    manufactured_on: dt.date
    sold_in: str


class DecisionOut(Schema):
    """The decision in the one shape the batch command writes and the portal shows
    (``covered`` … ``pack``), and what the request adds (``part`` … ``device``)."""

    covered: bool
    starts_on: dt.date
    ends_on: dt.date = Field(..., description="the last day covered")
    basis: str = Field(..., description="invoice or manufacture: what the start date comes from")
    group: str = Field(..., description="coverage group of the part, e.g. major, whole-unit, battery")
    months: int
    onsite: OnsiteOut
    reasons: list[ReasonOut]
    clauses: list[str] = Field(..., description="ids of the pack clauses applied")
    pack: str = Field(..., description="policy pack version that decided, id@version")
    part: str
    explanation: str = Field(..., description="the reasons in the language asked for, as one text")
    clause_texts: list[ClauseOut] = Field(..., description="the clauses applied, with their texts and sources")
    hotline: str
    device: DeviceOut | None = None


DATE_HELP = "calendar date YYYY-MM-DD"


class DecisionIn(Schema):
    """Either ``serial`` (looked up in the serial registry) or ``product_line`` +
    ``manufactured_on`` + ``sold_in``. Dates are strings so that a wrong one gets this API's
    coded error, in English and Chinese, instead of a generic validation message."""

    serial: str | None = Field(None, examples=["CN0A1B2C3D"])
    product_line: str | None = Field(None, examples=["home-desktop"])
    manufactured_on: str | None = Field(None, description=DATE_HELP, examples=["2023-04-02"])
    shipped_on: str | None = Field(None, description=DATE_HELP)
    sold_in: str | None = Field(None, examples=["CN"])
    part: str | None = Field(None, examples=["cpu"], description="a part, or give symptom instead")
    symptom: str | None = Field(None, examples=["no-power"])
    purchased_on: str | None = Field(None, description=DATE_HELP + "; null when there is no valid invoice")
    registered_on: str | None = Field(None, description=DATE_HELP)
    service_in: str | None = Field(None, description="region where service is asked; default: region of sale")
    as_of: str | None = Field(None, description=DATE_HELP + "; default: today in that region")
    last_repair_on: str | None = Field(None, description="date of an earlier warranty repair of the same fault")
    repairs_on: list[str] | None = Field(
        None, description="dates of the earlier warranty repairs of the same fault (each must fall inside the "
                          "cover in force on its day); with last_repair_on, the dates are taken together")
    lcd_dots: dict[str, int] | None = Field(None, examples=[{"bright": 4, "dark": 0}])
    lcd_inspection: dict[str, int] | None = Field(
        None, examples=[{"distance_cm": 35, "temperature_c": 24, "lux": 400}])
    exclusions: list[str] | None = Field(None, examples=[["liquid-damage"]])
    # Any: a value that is not a whole number gets the decision's own coded error, not a generic one
    vip_visits_used: Any = Field(None, description=VIP_VISITS_HELP, examples=[0],
                                 json_schema_extra={"type": "integer", "minimum": 0, "maximum": 99})

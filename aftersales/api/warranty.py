"""Warranty endpoints: decide for a serial number, or for explicit facts."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Query, Router, Schema, Status

from aftersales.api.api import require_action
from aftersales.api.schemas import DATE_HELP, VIP_VISITS_HELP, DecisionIn, DecisionOut, ErrorOut
from aftersales.core import clock
from aftersales.core.numbers import plain_number
from aftersales.policy.pack import Clause
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
        "clause_texts": [_clause_out(pack.clauses[c], zh) for c in decision.clauses],
        "hotline": pack.lines[answer.facts.product_line].hotline,
        "device": None if device is None else {
            "serial": device.serial, "model": device.model, "product_line": device.product_line,
            "manufactured_on": device.manufactured_on, "sold_in": device.sold_in},
    }


def _clause_out(clause: Clause, zh: bool) -> dict:
    cites = [{"document": c.document.id, "title_en": c.document.title_en, "title_zh": c.document.title_zh,
              "published_on": c.document.published_on.isoformat() if c.document.published_on else None,
              "section_en": c.section_en, "section_zh": c.section_zh} for c in clause.cites]
    return {"id": clause.id, "source": clause.source(zh), "cites": cites, "en": clause.en, "zh": clause.zh}


class SerialQuery(Schema):
    """What a serial look-up may add to the registry's facts, as flat query parameters: the
    product line, the manufacture and ship dates and the region of sale are the registry's;
    repeated parameters for the lists; the LCD dot counts and their inspection conditions as
    numbers of their own."""

    part: str | None = Field(None, examples=["cpu"], description="a part, or give symptom instead")
    symptom: str | None = Field(None, examples=["no-power"])
    purchased_on: str | None = Field(None, description=DATE_HELP + "; absent when there is no valid invoice")
    registered_on: str | None = Field(None, description=DATE_HELP)
    service_in: str | None = Field(None, description="region where service is asked; default: region of sale")
    as_of: str | None = Field(None, description=DATE_HELP + "; default: today in that region")
    last_repair_on: str | None = Field(None, description="date of an earlier warranty repair of the same fault")
    repairs_on: list[str] | None = Field(
        None, description="dates of the earlier warranty repairs of the same fault, one parameter each "
                          "(repairs_on=2024-01-05&repairs_on=2024-04-01)")
    exclusions: list[str] | None = Field(None, description="findings of the inspection, one parameter each",
                                         examples=[["liquid-damage"]])
    lcd_bright: int | None = Field(None, description="bright dots counted on the LCD panel")
    lcd_dark: int | None = Field(None, description="dark dots counted on the LCD panel")
    lcd_distance_cm: int | None = Field(None, description="viewing distance of the dot count, cm")
    lcd_temperature_c: int | None = Field(None, description="room temperature of the dot count, °C")
    lcd_lux: int | None = Field(None, description="light of the dot count, lux")
    vip_visits_used: str | None = Field(None, description=VIP_VISITS_HELP, examples=["0"])

    def request_data(self, serial: str) -> dict:
        """The request ``warranty_decide`` reads: the dot counts and conditions as its objects."""
        data = self.dict(exclude_none=True, exclude={"lcd_bright", "lcd_dark", "lcd_distance_cm",
                                                     "lcd_temperature_c", "lcd_lux"})
        if self.lcd_bright is not None or self.lcd_dark is not None:
            data["lcd_dots"] = {"bright": self.lcd_bright or 0, "dark": self.lcd_dark or 0}
        conditions = {"distance_cm": self.lcd_distance_cm, "temperature_c": self.lcd_temperature_c,
                      "lux": self.lcd_lux}
        if any(v is not None for v in conditions.values()):
            data["lcd_inspection"] = conditions
        used = plain_number(self.vip_visits_used, digits=6) if self.vip_visits_used is not None else None
        if used is not None:
            data["vip_visits_used"] = used  # any other text is refused by the decision with its own code
        return {**data, "serial": serial}


@router.get("/devices/{serial}/warranty", response={200: DecisionOut, **ERRORS},
            summary="Warranty for a serial number",
            description="Decides for the device behind the serial number (the registry gives its product "
                        "line, manufacture date and region of sale). Give `part` or `symptom`; "
                        "`purchased_on` when there is a valid invoice (otherwise the manufacture date "
                        "counts); dates from 2000-01-01 to 2099-12-31. 404 when the serial is unknown, 422 when the facts cannot be decided "
                        "(impossible dates, a part the product does not have), 429 when a client asks "
                        "too often.")
def device_warranty(request: HttpRequest, serial: str, query: Query[SerialQuery]):
    require_action(request, "warranty.check")
    now = clock.now()
    check_rate(request, "warranty", now=now)
    return Status(200, _out(warranty_decide(data=query.request_data(serial), now=now)))


@router.post("/warranty/decisions", response={200: DecisionOut, **ERRORS, 403: ErrorOut, 413: ErrorOut},
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

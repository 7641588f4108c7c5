"""What a decision is asked about, and what it answers. Plain frozen dataclasses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from aftersales.core.errors import AppError


class DecisionError(AppError):
    """A question the engine cannot answer as asked (impossible dates, unknown part, no pack)."""

    status = 422


@dataclass(frozen=True, slots=True)
class LcdInspection:
    distance_cm: int
    temperature_c: int
    lux: int


@dataclass(slots=True)
class Facts:
    product_line: str
    manufactured_on: dt.date
    part: str
    as_of: dt.date
    sold_in: str
    service_in: str
    purchased_on: dt.date | None = None
    registered_on: dt.date | None = None
    shipped_on: dt.date | None = None
    last_repair_on: dt.date | None = None
    lcd_bright: int | None = None
    lcd_dark: int | None = None
    lcd_inspection: LcdInspection | None = None
    exclusions: tuple[str, ...] = ()


@dataclass(slots=True)
class Reason:
    code: str
    en: str
    zh: str
    clause: str | None = None
    as_json: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        self.as_json = {"code": self.code, "en": self.en, "zh": self.zh}


@dataclass(slots=True)
class Decision:
    covered: bool
    starts_on: dt.date
    ends_on: dt.date
    basis: str  # "invoice" or "manufacture"
    group: str
    months: int
    onsite_eligible: bool
    onsite_ends_on: dt.date | None
    reasons: list[Reason]
    pack: str
    clauses: tuple[str, ...]

    def reason_codes(self) -> list[str]:
        return [r.code for r in self.reasons]

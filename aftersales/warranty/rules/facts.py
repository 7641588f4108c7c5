"""What a decision is asked about, and what it answers: plain dataclasses, the reasons given, and
the two ways a question can fail (a value that is not what it says, a question the rules cannot
answer as asked)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aftersales.core.errors import AppError


class InvalidInput(AppError):
    """A value that is not what it says it is: a date that does not exist, a serial number of the
    wrong form, a part or region that is not in the vocabulary."""


class DecisionError(AppError):
    """A well-formed question the rules cannot answer as asked: impossible dates, a part the
    product does not have, no pack in force, a repair that was not made under warranty."""


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
    # Earlier warranty repairs of the same fault: ``last_repair_on`` is the one-date form,
    # ``repairs_on`` the chain; given both, their dates are taken together.
    last_repair_on: dt.date | None = None
    lcd_bright: int | None = None
    lcd_dark: int | None = None
    lcd_inspection: LcdInspection | None = None
    exclusions: tuple[str, ...] = ()
    repairs_on: tuple[dt.date, ...] = ()
    # How many of the VIP software on-site visits included with the device were used already
    # (the high-end desktop line's VIP service list); 0 for a device without any.
    vip_visits_used: int = 0


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason a decision gives: a code, the words in English and Chinese, the clause cited."""

    code: str
    en: str
    zh: str
    clause: str | None = None


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
    pack: str  # the label of the pack that decided, id@version
    clauses: tuple[str, ...]

    def reason_codes(self) -> list[str]:
        return [r.code for r in self.reasons]

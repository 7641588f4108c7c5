"""What a decision is asked about, and what it answers: plain dataclasses, and the reasons given."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import orjson

from aftersales.core.errors import AppError
from aftersales.warranty.rules.dates import ISO_BYTES, iso


def compact(json: bytes) -> bytes:
    """JSON written by orjson, in a bytes object of its own size: orjson hands its output back in
    a buffer of about 4 KB, too much to keep in a memo by the thousand."""
    return bytes(memoryview(json))


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


class Reason:
    """One reason a decision gives: a code, the words in English and Chinese, the clause cited.
    Never changed once made.

    ``json`` is ``{"code", "en", "zh"}`` as orjson writes it, made with the reason: most reasons
    are memoised and repeat on many lines of a batch, and encoding them once spares encoding the
    same Chinese text again on every line. A reason worded from a ``Wording`` (``worded``) has
    blanks filled with a line's own dates: its JSON is the wording's with the dates put in, and
    its English and Chinese are spelled out only when someone reads them."""

    __slots__ = ("code", "clause", "json", "_en", "_zh", "_wording", "_days")

    def __init__(self, code: str, en: str, zh: str, clause: str | None = None):
        self.code, self.clause, self._en, self._zh, self._wording = code, clause, en, zh, None
        self.json = orjson.dumps({"code": code, "en": en, "zh": zh})

    @property
    def en(self) -> str:
        w = self._wording
        return self._en if w is None else w.en % tuple(map(iso, self._days))

    @property
    def zh(self) -> str:
        w = self._wording
        return self._zh if w is None else w.zh % tuple(map(iso, self._days))

    @property
    def as_json(self) -> dict:
        return {"code": self.code, "en": self.en, "zh": self.zh}

    def __eq__(self, other):
        if other.__class__ is not Reason:
            return NotImplemented
        return (self.code, self.en, self.zh, self.clause) == (other.code, other.en, other.zh, other.clause)

    __hash__ = None  # like the dataclass it was: comparable, not hashable

    def __repr__(self) -> str:
        return f"Reason(code={self.code!r}, en={self.en!r}, zh={self.zh!r}, clause={self.clause!r})"


_BLANK = re.compile(rb"%(%|s)")
_BLANK_S = re.compile(r"%(?:%|(s))")


class Wording:
    """A reason's words with blanks (``%s``) for dates, the same dates in the same order in the
    English and in the Chinese: the part of a reason that does not change from line to line."""

    __slots__ = ("code", "en", "zh", "json", "blanks")

    def __init__(self, code: str, en: str, zh: str):
        self.code, self.en, self.zh = code, en, zh
        self.blanks = _BLANK_S.findall(en).count("s")  # how many dates it takes (%% is no blank)
        # The JSON with each blank as a bytes blank (%b), for the dates as ASCII bytes: a date
        # needs no escaping, so filling it in gives exactly what orjson writes for the words.
        self.json = _BLANK.sub(lambda m: b"%%" if m.group(1) == b"%" else b"%b",
                               orjson.dumps({"code": code, "en": en, "zh": zh}))


_new_reason = object.__new__


def worded(wording: Wording, days: tuple[dt.date, ...], clause: str | None) -> Reason:
    """The reason ``wording`` gives for a line's ``days`` (its blanks, in order)."""
    reason = _new_reason(Reason)
    reason.code, reason.clause, reason._wording, reason._days = wording.code, clause, wording, days
    spelled = tuple(map(ISO_BYTES.__getitem__, days))
    reason.json = wording.json % (spelled + spelled)  # the English blanks, then the Chinese
    return reason


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

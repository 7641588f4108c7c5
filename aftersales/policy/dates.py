"""The dates the product accepts: 2000-01-01 through 2099-12-31, one definition for every way in.

Device dates (manufacture, shipping, invoice, registration, repairs), decision dates and the
dates a policy pack takes effect from and to must fall in this range, wherever they enter: the
API, the console and portal forms, the batch commands, the registry import, pack loading. The
products we serve go back to 2011; a date far outside the range is a typing slip (9999, 0001),
and refusing it where it enters keeps period arithmetic (a 36-month period from 9999-01-01
would end in the year 10002, which no calendar library can hold) away from dates nobody meant.

Pure Python: the callers raise their own error types with ``out_of_range_words``.
"""

from __future__ import annotations

import datetime as dt

FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)


def accepted(day: dt.date) -> bool:
    """Whether ``day`` is one of the dates the product accepts."""
    return FIRST_DAY <= day <= LAST_DAY


def out_of_range_words(day: dt.date, what_en: str, what_zh: str) -> tuple[str, str]:
    """The refusal of ``day`` given as ``what`` (e.g. "The manufacture date", "生产日期"), in English
    and Chinese."""
    return (f"{what_en} {day.isoformat()} is outside the dates we accept, {FIRST_DAY.isoformat()} to "
            f"{LAST_DAY.isoformat()}; check the year.",
            f"{what_zh} {day.isoformat()} 超出可受理的日期范围（{FIRST_DAY.isoformat()} 至 "
            f"{LAST_DAY.isoformat()}），请核对年份。")

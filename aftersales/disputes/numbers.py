"""Dispute numbers, made like case numbers: ``D`` + eleven random symbols from Crockford's
base-32 alphabet, read and typed as ``D7KM-9Q2T-5WX4``. Random, so one says nothing about another.

The case number the customer names is kept as they typed it when it is not one of ours: cases
from before this product (back to 2011) carry other numbers. ``legacy_case_number`` accepts
those within reason — letters, digits, spaces, dashes and slashes, 4 to 40 characters.
"""

import re
import secrets

from aftersales.repairs.numbers import ALPHABET

_PATTERN = re.compile(r"^D[0-9A-HJKMNP-TV-Z]{11}$")
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_LEGACY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 /\-]{2,38}[A-Za-z0-9]$")


def new_dispute_number() -> str:
    return "D" + "".join(secrets.choice(ALPHABET) for _ in range(11))


def normalise_dispute_number(text: str) -> str | None:
    if not isinstance(text, str):
        return None
    compact = re.sub(r"[\s\-]", "", text.upper())
    compact = compact[:1] + compact[1:].translate(_CONFUSABLE)
    return compact if _PATTERN.match(compact) else None


def legacy_case_number(text: str) -> str | None:
    """An older case number as typed, tidied (spaces collapsed, upper case); None when it cannot be one."""
    tidy = re.sub(r"\s+", " ", text or "").strip().upper()
    return tidy if _LEGACY.match(tidy) else None


def display(number: str) -> str:
    return f"{number[:4]}-{number[4:8]}-{number[8:]}"

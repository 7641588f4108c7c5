"""Case numbers: random, readable aloud, and not guessable from one another.

Eleven symbols from Crockford's base-32 alphabet (no I, L, O or U, so nothing is misread),
about 55 bits of randomness, written ``R`` + 3 groups: ``R7KM-9Q2T-5WX4``. Lookups also need
the e-mail or phone on file, so a number alone reveals nothing.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_PATTERN = re.compile(r"^R[0-9A-HJKMNP-TV-Z]{11}$")
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_case_number() -> str:
    return "R" + "".join(secrets.choice(ALPHABET) for _ in range(11))


def normalise_case_number(text: str) -> str | None:
    """Accept what a person types (lower case, spaces, dashes, O for 0); None when it cannot be one."""
    if not isinstance(text, str):
        return None
    compact = re.sub(r"[\s\-]", "", text.upper()).translate(_CONFUSABLE)
    if _PATTERN.match(compact):
        return compact
    # Typed without our leading R; the eleven symbols may themselves begin with R (RR46-…).
    return "R" + compact if _PATTERN.match("R" + compact) else None


def display(number: str) -> str:
    return f"{number[:4]}-{number[4:8]}-{number[8:]}"

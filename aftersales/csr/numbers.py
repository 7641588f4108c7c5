"""Self-repair numbers: as case numbers are (``repairs.numbers``) — random, readable aloud, not
guessable — but starting with ``S``: ``S7KM-9Q2T-5WX4``."""

import re
import secrets

from aftersales.repairs.numbers import ALPHABET

_PATTERN = re.compile(r"^S[0-9A-HJKMNP-TV-Z]{11}$")
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_order_number() -> str:
    return "S" + "".join(secrets.choice(ALPHABET) for _ in range(11))


def normalise_order_number(text) -> str | None:
    """What a person types (lower case, spaces, dashes, O for 0) as a number; None when it is none."""
    if not isinstance(text, str):
        return None
    compact = re.sub(r"[\s\-]", "", text.upper())
    compact = compact[:1] + compact[1:].translate(_CONFUSABLE)
    return compact if _PATTERN.match(compact) else None


def display(number: str) -> str:
    return f"{number[:4]}-{number[4:8]}-{number[8:]}"

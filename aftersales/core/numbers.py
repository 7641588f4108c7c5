"""Whole numbers written as text by a person or another program (an id in a form, a line number
in a file, a time in seconds in a header)."""


def plain_number(text: str, *, digits: int) -> int | None:
    """The number ``text`` writes in ASCII digits, at most ``digits`` of them; None for anything
    else. ``str.isdigit`` alone is not enough: it accepts "²" and other characters ``int`` refuses,
    and a long enough string of digits is refused by ``int`` too, or overflows a database column."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= digits else None

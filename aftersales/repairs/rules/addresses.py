"""The return address of a mail-in booking: what a courier can print on a parcel.

An address is kept as the customer wrote it, line by line (spaces trimmed, empty lines dropped).
It is refused, with the reason, when it is too short to find anyone, longer than a label holds,
or carries what no address has: control characters (a NUL, an escape sequence) or angle brackets
(markup).
"""

from __future__ import annotations

import unicodedata

MIN_CHARACTERS = 6
MAX_CHARACTERS = 400
MAX_LINES = 8


def address_lines(text: str) -> str:
    """The address as stored: each line trimmed, empty lines dropped, lines joined by newlines."""
    return "\n".join(line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip())


def address_problem(text: str) -> tuple[str, str, str] | None:
    """(code, English, Chinese) saying what is wrong with the address as stored, or None."""
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co"} and ch not in "\n\t" for ch in text):
        return ("address-characters", ("The return address contains characters that cannot be printed on a "
                "parcel label. Type it again by hand."), "寄回地址中含有无法打印在快递面单上的字符，请重新手动输入。")
    if "<" in text or ">" in text:
        return ("address-characters", "The return address cannot contain < or >.", "寄回地址中不能包含 < 或 >。")
    length = sum(not ch.isspace() for ch in text)
    if length < MIN_CHARACTERS:
        return ("address-too-short", "Give the full return address: street and number, city and postcode.",
                "请填写完整的寄回地址：街道门牌、城市和邮编。")
    if len(text) > MAX_CHARACTERS or text.count("\n") >= MAX_LINES:
        return ("address-too-long", (f"The return address is too long for a parcel label (at most "
                f"{MAX_CHARACTERS} characters on {MAX_LINES} lines)."),
                f"寄回地址过长，快递面单上放不下（最多 {MAX_LINES} 行、{MAX_CHARACTERS} 个字符）。")
    return None

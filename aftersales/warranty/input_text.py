"""What the warranty commands (``warranty-check``, ``import-devices``, ``load-packs``) take as text.

Their input is UTF-8 text, a line at a time. A line that is not UTF-8 is that line's error; a
file that is not text at all (UTF-16, a spreadsheet, a zip, an image) cannot be read and the
command stops with exit status 2 before deciding anything. The test is made on the file's first
64 KiB: it is text when at least half of its lines are UTF-8 without NUL bytes (a UTF-16 file
has a NUL in nearly every line). A UTF-8 byte-order mark, which some editors write at the start
of a file, is skipped.
"""

from __future__ import annotations

BOM = b"\xef\xbb\xbf"
SAMPLE_BYTES = 64 * 1024


def _text_line(line: bytes) -> bool:
    if b"\x00" in line:
        return False
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(line) - 3 and exc.reason == "unexpected end of data"  # cut by the sample
    return True


def looks_like_text(sample: bytes) -> bool:
    """Whether the start of a file, ``sample``, reads as UTF-8 text (an empty file does)."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):  # a UTF-16 or UTF-32 byte-order mark
        return False
    lines = sample.removeprefix(BOM).split(b"\n")
    if len(sample) >= SAMPLE_BYTES and len(lines) > 1:
        lines.pop()  # cut short by the sample's end
    lines = [line for line in lines if line.strip()] or [b""]
    return sum(map(_text_line, lines)) * 2 >= len(lines)


def without_bom(text: bytes) -> bytes:
    return text.removeprefix(BOM)

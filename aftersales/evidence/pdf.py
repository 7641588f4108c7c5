"""Reading a PDF for what would make it unsafe to open or impossible to check: encryption,
scripts (JavaScript, and XFA forms, which carry scripts of their own) and launch actions.

The file is parsed by qpdf (through pikepdf), as a PDF reader parses it: escaped names are read
as the names they spell (``/J#53`` is ``/JS``, ``/Obj#53tm`` is ``/ObjStm``), objects kept
compressed inside object streams are unpacked, a damaged cross-reference table is rebuilt.
Every object the file lists is then walked, its nested dictionaries and arrays included. A part
that qpdf could not read is a part we could not check, so a file with one is refused as
unreadable — among them an object stream that inflates past ``INFLATE_LIMIT``, which qpdf
stops decoding (``limit_inflation``, applied once when the app starts) instead of filling the
server's memory.
"""

from __future__ import annotations

import io

import pikepdf

# Bytes one compressed stream may inflate to while it is read. Object streams of real files
# hold a few hundred small dictionaries (kilobytes); the pages' own streams are never inflated.
INFLATE_LIMIT = 16 * 1024 * 1024
# Objects and nested values walked, at most (about 6 s of work): an invoice has thousands, a
# long scanned document tens of thousands; past this a file is refused as one we cannot check.
MAX_NODES = 500_000

_SCRIPT_KEYS = {"/JS", "/JavaScript", "/XFA"}
_ACTIONS = {"/JavaScript": "javascript", "/Launch": "launch"}
_ORDER = ("encrypted", "javascript", "launch")
_DECODING_FAILED = ("error decoding stream", "unfilterable stream", "memory limit")


def limit_inflation() -> None:
    """Make qpdf stop inflating a stream past ``INFLATE_LIMIT`` (process-wide; at start-up)."""
    pikepdf.settings.set_qpdf_limits(flate_max_memory=INFLATE_LIMIT)


def pdf_problem(data: bytes) -> str | None:
    """Why a PDF is refused — "encrypted", "javascript", "launch" or "unreadable" — or None."""
    try:
        with pikepdf.open(io.BytesIO(data)) as document:
            if document.is_encrypted:
                return "encrypted"
            found = _walk(document)
            if any(part in warning for warning in document.get_warnings() for part in _DECODING_FAILED):
                found.add("unreadable")
    except pikepdf.PasswordError:
        return "encrypted"
    except (pikepdf.PdfError, _TooComplex, RecursionError, ValueError):
        return "unreadable"
    return next((problem for problem in (*_ORDER, "unreadable") if problem in found), None)


class _TooComplex(Exception):
    pass


def _walk(document: pikepdf.Pdf) -> set[str]:
    """What every object says, walked without recursion; indirect references are not followed,
    since each indirect object is itself in ``document.objects``."""
    found: set[str] = set()
    stack = [document.trailer, *document.objects]
    for visited, item in enumerate(_pop_all(stack)):
        if visited > MAX_NODES:
            raise _TooComplex
        if item is None:
            found.add("unreadable")  # listed, but qpdf could not read it
        elif isinstance(item, (pikepdf.Dictionary, pikepdf.Stream)):
            found |= _dictionary_problems(item)
            stack.extend(_direct_containers(item.values()))
        elif isinstance(item, pikepdf.Array):
            stack.extend(_direct_containers(item))
    return found


def _direct_containers(values):
    return (value for value in values
            if isinstance(value, (pikepdf.Dictionary, pikepdf.Array)) and not value.is_indirect)


def _pop_all(stack: list):
    while stack:
        yield stack.pop()


def _dictionary_problems(item) -> set[str]:
    found = {"javascript"} if _SCRIPT_KEYS.intersection(item.keys()) else set()
    action = item.get("/S")
    if isinstance(action, pikepdf.Name) and str(action) in _ACTIONS:
        found.add(_ACTIONS[str(action)])
    return found

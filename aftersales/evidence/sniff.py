"""What a file really is, read from its bytes — never from its name or the browser's word.

Only what a repair case needs is recognised: JPEG, PNG, WebP and HEIC/HEIF photos, MP4 and
QuickTime videos, PDF documents. Anything else (executables, archives, HTML, SVG, AVIF, …) is
unknown, and the service refuses it. A PDF is also read for what would make it unsafe to open or
impossible to check: encryption, JavaScript and launch actions. Pure functions over bytes.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

IMAGE, VIDEO, DOCUMENT = "image", "video", "document"
# Enough for every signature below, including a dozen of an ``ftyp`` box's compatible brands.
HEADER_BYTES = 64


@dataclass(frozen=True)
class FileType:
    content_type: str
    media: str  # IMAGE, VIDEO or DOCUMENT
    extension: str
    pillow_format: str = ""  # the Pillow format a photo is re-encoded in


JPEG = FileType("image/jpeg", IMAGE, ".jpg", "JPEG")
PNG = FileType("image/png", IMAGE, ".png", "PNG")
WEBP = FileType("image/webp", IMAGE, ".webp", "WEBP")
HEIF = FileType("image/heic", IMAGE, ".heic", "HEIF")
MP4 = FileType("video/mp4", VIDEO, ".mp4")
MOV = FileType("video/quicktime", VIDEO, ".mov")
PDF = FileType("application/pdf", DOCUMENT, ".pdf")
BY_CONTENT_TYPE = {t.content_type: t for t in (JPEG, PNG, WEBP, HEIF, MP4, MOV, PDF)}

# ISO base media files open with an ``ftyp`` box whose brands say what they hold.
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}
_MP4_BRANDS = {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ",
               b"mmp4", b"dash", b"MSNV"}
_MOV_BRANDS = {b"qt  "}
_AVIF_BRANDS = {b"avif", b"avis"}  # HEIF's cousin, which nothing here can decode


def sniff(header: bytes) -> FileType | None:
    """The type of a file from its first ``HEADER_BYTES`` bytes, or None when it is none we take."""
    if header.startswith(b"\xff\xd8\xff"):
        return JPEG
    if header.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if header[:4] == b"RIFF" and header[8:12] == b"WEBP":
        return WEBP
    if header.startswith(b"%PDF-"):
        return PDF
    return _iso_media(header)


def _iso_media(header: bytes) -> FileType | None:
    # ftyp box: 4-byte size, "ftyp", major brand, minor version, then compatible brands.
    if len(header) < 16 or header[4:8] != b"ftyp":
        return None
    size = int.from_bytes(header[:4], "big")
    if size < 16 or size % 4:
        return None
    major = header[8:12]
    compatible = {header[i:i + 4] for i in range(16, min(size, len(header)) - 3, 4)}
    if ({major} | compatible) & _AVIF_BRANDS:
        return None
    if major in _HEIF_BRANDS:
        return HEIF
    if major in _MOV_BRANDS:
        return MOV
    if major in _MP4_BRANDS:
        return MP4
    return None


# --- PDF ------------------------------------------------------------------------------------

# Stream bodies are binary (compressed pages, pictures): three random bytes spell "/JS" about
# once in 16 MB, so they are left out of the scan — except object streams, which hold
# dictionaries (where an action can hide) and are inflated and read.
_STREAM = re.compile(rb">>\s*stream\r?\n(.*?)endstream", re.DOTALL)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")  # /J#53 is /JS
_UNSAFE_NAME = re.compile(rb"/(Encrypt|JavaScript|JS|Launch)(?![A-Za-z0-9])")
_REASONS = {b"Encrypt": "encrypted", b"JavaScript": "javascript", b"JS": "javascript", b"Launch": "launch"}
_INFLATE_BUDGET = 64 * 1024 * 1024  # bytes of object streams inflated per file, at most


def pdf_problem(data: bytes) -> str | None:
    """Why a PDF is refused — "encrypted", "javascript" or "launch" — or None when it is plain."""
    found = set()
    for text in _pdf_texts(data):
        text = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), text)
        found |= {_REASONS[m.group(1)] for m in _UNSAFE_NAME.finditer(text)}
    return next((reason for reason in ("encrypted", "javascript", "launch") if reason in found), None)


def _pdf_texts(data: bytes):
    """The file with stream bodies cut out, then the inflated body of each object stream."""
    outside, last, budget = [], 0, _INFLATE_BUDGET
    for match in _STREAM.finditer(data):
        outside.append(data[last:match.start(1)])
        last = match.end(1)
        head = data[max(0, data.rfind(b"obj", 0, match.start())):match.start()]
        if b"/ObjStm" in head and budget > 0:
            inner = _inflate(match.group(1), budget)
            budget -= len(inner)
            yield inner
    outside.append(data[last:])
    yield b"".join(outside)


def _inflate(body: bytes, limit: int) -> bytes:
    try:
        return zlib.decompressobj().decompress(body, limit)
    except zlib.error:
        return b""

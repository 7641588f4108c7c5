"""What a file really is, read from its bytes — never from its name or the browser's word.

Only what a repair case needs is recognised: JPEG, PNG, WebP and HEIC/HEIF photos, MP4 and
QuickTime videos, PDF documents. Anything else (executables, archives, HTML, SVG, AVIF, …) is
unknown, and the service refuses it. (What is inside a PDF is read by ``pdf``.) Pure functions
over bytes.
"""

from __future__ import annotations

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

"""Fixtures for evidence tests: a private media folder, cases at a Chinese and a US centre, and
files built in memory — photos carrying EXIF with a GPS position, a Windows executable, PDFs and
the smallest MP4 a parser accepts."""

from __future__ import annotations

import datetime as dt
import functools
import io
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageCms
from pillow_heif import register_heif_opener

from aftersales.centres.models import ServiceCentre
from aftersales.core.testing import device_made
from aftersales.repairs.conftest import NOW, intake
from aftersales.repairs.services import case_book

register_heif_opener()

GPS_LATITUDE = (31.0, 14.0, 5.5)
EXIF_ORIENTATION, EXIF_GPS_IFD = 0x0112, 0x8825
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="31,14.09N"/>'
       b'</rdf:RDF></x:xmpmeta>')


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def cn_case(db):
    ServiceCentre.objects.create(code="sh-01", name_en="Shanghai Xuhui", name_zh="上海徐汇", region="CN",
                                 city="Shanghai", timezone="Asia/Shanghai")
    device_made("HD000123", "home-desktop", dt.date(2024, 1, 10), "CN", model="D700MA")
    return case_book(intake=intake(), actor=None, now=NOW)


@pytest.fixture
def us_case(db):
    ServiceCentre.objects.create(code="tx-01", name_en="Fort Worth", name_zh="沃思堡", region="US", city="Fort Worth",
                                 timezone="America/Chicago", requires_parcel_media=True)
    device_made("NB000777", "notebook", dt.date(2025, 1, 10), "US", model="Zenbook 14")
    return case_book(intake=intake(centre="tx-01", serial="NB000777", kind="mail-in", language="en",
                                   customer_name="Ann Lee", phone="+1 817 555 0100", email="ann@example.com"),
                     actor=None, now=NOW)


def two_tone(size=(40, 20)) -> Image.Image:
    """Red on the left half, blue on the right: which way up it is shows after rotation."""
    picture = Image.new("RGB", size, (220, 20, 20))
    picture.paste((20, 20, 220), (size[0] // 2, 0, size[0], size[1]))
    return picture


def exif_with_gps(orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = orientation  # 6: the camera was turned; show rotated 90° clockwise
    exif[0x010F] = "Camera maker"
    exif[0xA431] = "BODY-SERIAL-0042"  # the camera's serial number
    exif[EXIF_GPS_IFD] = {1: "N", 2: GPS_LATITUDE, 3: "E", 4: (121.0, 28.0, 1.25)}
    return exif


def srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def photo(fmt: str = "JPEG", *, orientation: int = 6, picture: Image.Image | None = None) -> bytes:
    """A photo in ``fmt`` carrying EXIF (GPS, orientation, camera serial), XMP and a colour profile."""
    picture = picture or two_tone()
    out = io.BytesIO()
    extra = {"comment": b"taken at home"} if fmt == "JPEG" else {}
    if fmt == "HEIF":
        picture.save(out, fmt, exif=exif_with_gps(orientation).tobytes(), xmp=XMP, quality=90)
    else:
        picture.save(out, fmt, exif=exif_with_gps(orientation), xmp=XMP, icc_profile=srgb_icc(), **extra)
    return out.getvalue()


def noisy_jpeg(size=(256, 256)) -> bytes:
    out = io.BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(out, "JPEG", quality=95)
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


@functools.lru_cache(maxsize=4)
def png_bomb(width: int = 12000, height: int = 12000) -> bytes:
    """A real PNG of transparent black RGBA pixels: 12000 × 12000 is 560 KB on disk and 576 MB
    once decoded. Built row by row, so making it takes no more memory than the file."""
    deflate = zlib.compressobj(9)
    row = bytes(1 + 4 * width)  # filter byte 0, then the pixels
    pixels = b"".join(deflate.compress(row) for _ in range(height)) + deflate.flush()
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 6, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", pixels)
            + _png_chunk(b"IEND", b""))


def png_claiming(width: int, height: int) -> bytes:
    """A PNG header declaring ``width`` × ``height`` with no pixel data at all: decoding it would
    fail, so a refusal for its size shows the size was read before decoding."""
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IEND", b"")


def heic_claiming(width: int, height: int) -> bytes:
    """A real 64 × 64 HEIC whose image-size box (``ispe``) declares ``width`` × ``height``."""
    out = io.BytesIO()
    two_tone((64, 64)).save(out, "HEIF", quality=50)
    data = out.getvalue()
    at = data.index(b"ispe") + 8  # after the box type, version and flags
    return data[:at] + width.to_bytes(4, "big") + height.to_bytes(4, "big") + data[at + 8:]


def webp_claiming(width: int, height: int) -> bytes:
    """A real extended WebP (VP8X, as any WebP with EXIF is) whose canvas is ``width`` × ``height``."""
    out = io.BytesIO()
    two_tone().save(out, "WEBP", exif=exif_with_gps())
    data = out.getvalue()
    assert data[12:16] == b"VP8X"
    canvas = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return data[:24] + canvas + data[30:]


def windows_exe() -> bytes:
    """The start of a PE executable: the DOS stub "MZ" and, where it points, "PE\\0\\0"."""
    stub = bytearray(b"MZ" + b"\x90\x00" * 29 + b"\x00" * 2)
    stub[0x3C:0x40] = (0x80).to_bytes(4, "little")
    stub += b"\x00" * (0x80 - len(stub)) + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 200
    return bytes(stub)


def minimal_mp4() -> bytes:
    """An ``ftyp`` box (brand isom, compatible isom/iso2/mp41) followed by an empty ``mdat``."""
    ftyp = b"ftyp" + b"isom" + (512).to_bytes(4, "big") + b"isom" + b"iso2" + b"mp41"
    return (8 + len(ftyp) - 4).to_bytes(4, "big") + ftyp + (8).to_bytes(4, "big") + b"mdat"


def pdf(body: bytes = b"") -> bytes:
    """A one-page PDF; ``body`` goes into the catalogue dictionary."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R " + body + b" >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, text in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + text + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_with_object_stream(action: bytes, *, stream_type: bytes = b"/ObjStm", padding: int = 0) -> bytes:
    """A PDF 1.5 whose catalogue opens ``action`` (object 4), kept compressed inside an object
    stream (object 5) and found through a cross-reference stream (object 6), offsets exact.
    ``stream_type`` spells the stream's type (``/Obj#53tm`` is the same name escaped);
    ``padding`` spaces after the action make the stream inflate to that much more."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
               2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"}
    body = zlib.compressobj(9)
    packed = body.compress(b"4 0 " + action)
    for _ in range(padding // (1 << 20)):
        packed += body.compress(b" " * (1 << 20))
    packed += body.compress(b" " * (padding % (1 << 20))) + body.flush()
    objects[5] = (b"<< /Type %s /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % (stream_type, len(packed))
                  + packed + b"\nendstream")
    out, offsets = bytearray(b"%PDF-1.5\n"), {}
    for number, text in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + text + b"\nendobj\n"
    offsets[6] = len(out)
    rows = [(0, 0, 65535), *((1, offsets[n], 0) for n in (1, 2, 3)), (2, 5, 0), (1, offsets[5], 0), (1, offsets[6], 0)]
    table = b"".join(kind.to_bytes(1, "big") + field.to_bytes(4, "big") + gen.to_bytes(2, "big")
                     for kind, field, gen in rows)
    out += (b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
            + table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[6])
    return bytes(out)


def encrypted_pdf(*, user_password: str) -> bytes:
    """A plain PDF encrypted by qpdf; with an empty user password it opens without asking."""
    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf())) as document:
        document.save(out, encryption=pikepdf.Encryption(owner="owner-secret", user=user_password))
    return out.getvalue()


@pytest.fixture
def staff_user(cn_case):
    """A member of staff at the Shanghai centre, where ``cn_case`` is."""
    from aftersales.core.testing import role_user

    return role_user("staff", centres=[cn_case.centre])

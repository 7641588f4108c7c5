"""Telling a file's type from its bytes. No database."""

import pytest

from aftersales.evidence.conftest import minimal_mp4, pdf, photo, windows_exe
from aftersales.evidence.sniff import HEADER_BYTES, sniff


@pytest.mark.parametrize(("data", "content_type"), [
    (photo("JPEG"), "image/jpeg"),
    (photo("PNG"), "image/png"),
    (photo("WEBP"), "image/webp"),
    (photo("HEIF"), "image/heic"),
    (minimal_mp4(), "video/mp4"),
    (b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  ", "video/quicktime"),
    (pdf(), "application/pdf"),
], ids=["jpeg", "png", "webp", "heic", "mp4", "mov", "pdf"])
def test_each_accepted_type_is_recognised_from_its_first_bytes(data, content_type):
    assert sniff(data[:HEADER_BYTES]).content_type == content_type


@pytest.mark.parametrize("data", [
    windows_exe(),
    b"<!DOCTYPE html><script>alert(1)</script>",
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    b"PK\x03\x04" + b"\x00" * 40,
    b"GIF89a" + b"\x00" * 20,
    b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf",
    b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1avifmiaf",
    b"\x00\x00\x00\x1cftypXXXX\x00\x00\x00\x00XXXXYYYYZZZZ",
    b"\x00\x00\x00\x09ftypisom",
    b"",
], ids=["exe", "html", "svg", "zip", "gif", "avif", "avif-in-mif1", "unknown-brand", "short-ftyp", "empty"])
def test_anything_else_is_not_recognised(data):
    assert sniff(data[:HEADER_BYTES]) is None

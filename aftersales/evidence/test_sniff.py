"""Telling a file's type from its bytes, and reading a PDF for what makes it unsafe. No database."""

import zlib

import pytest

from aftersales.evidence.conftest import minimal_mp4, pdf, photo, windows_exe
from aftersales.evidence.sniff import HEADER_BYTES, pdf_problem, sniff


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


def test_a_plain_pdf_has_no_problem():
    assert pdf_problem(pdf()) is None


@pytest.mark.parametrize(("body", "problem"), [
    (b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>", "javascript"),
    (b"/AA << /O << /S /Java#53cript /J#53 (app.alert(1)) >> >>", "javascript"),
    (b"/Names << /JavaScript 9 0 R >>", "javascript"),
    (b"/OpenAction << /S /Launch /F (cmd.exe) >>", "launch"),
], ids=["open-action", "escaped-names", "name-tree", "launch"])
def test_scripts_and_launch_actions_are_found_in_the_document(body, problem):
    assert pdf_problem(pdf(body)) == problem


def test_an_encrypted_pdf_is_found_from_its_trailer():
    data = pdf().replace(b"/Root 1 0 R", b"/Root 1 0 R /Encrypt 9 0 R /ID [<00> <00>]")
    assert pdf_problem(data) == "encrypted"


def test_a_script_hidden_in_a_compressed_object_stream_is_found():
    hidden = zlib.compress(b"4 0 << /S /JavaScript /JS (app.alert(1)) >>")
    stream = (b"9 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n"
              % len(hidden) + hidden + b"\nendstream\nendobj\n")
    data = pdf().replace(b"xref\n", stream + b"xref\n", 1)
    assert pdf_problem(data) == "javascript"


def test_bytes_that_happen_to_spell_js_inside_a_picture_stream_are_not_a_script():
    picture = b"\x00\x01/JS \xff\x10/JavaScript\x00"  # binary pixels, not a dictionary
    stream = (b"9 0 obj\n<< /Type /XObject /Subtype /Image /Length %d >>\nstream\n" % len(picture)
              + picture + b"\nendstream\nendobj\n")
    data = pdf().replace(b"xref\n", stream + b"xref\n", 1)
    assert pdf_problem(data) is None

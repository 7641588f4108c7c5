"""Reading a PDF, as a reader would, for what makes it unsafe or impossible to check. No database."""

import pytest

from aftersales.evidence.conftest import encrypted_pdf, pdf, pdf_with_object_stream
from aftersales.evidence.pdf import INFLATE_LIMIT, pdf_problem

SCRIPT = b"<< /S /JavaScript /JS (app.alert(1)) >>"


def test_a_plain_pdf_has_no_problem():
    assert pdf_problem(pdf()) is None
    assert pdf_problem(pdf_with_object_stream(b"<< /S /GoTo /D [3 0 R /Fit] >>")) is None


@pytest.mark.parametrize(("body", "problem"), [
    (b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>", "javascript"),
    (b"/AA << /O << /S /Java#53cript /J#53 (app.alert(1)) >> >>", "javascript"),
    (b"/Names << /JavaScript << /Names [(x) << /S /JavaScript /JS (app.alert(1)) >>] >> >>", "javascript"),
    (b"/AcroForm << /Fields [] /XFA [(template) (<template/>)] >>", "javascript"),
    (b"/OpenAction << /S /Launch /F (cmd.exe) >>", "launch"),
    (b"/OpenAction [ << /S /L#61unch /F (cmd.exe) >> ]", "launch"),
], ids=["open-action", "escaped-names", "name-tree", "xfa-form", "launch", "escaped-launch-in-array"])
def test_scripts_and_launch_actions_are_found_in_the_document(body, problem):
    assert pdf_problem(pdf(body)) == problem


def test_a_script_in_an_object_stream_whose_type_is_spelled_with_an_escape_is_found():
    # given a script compressed inside an object stream typed "/Obj#53tm" — the name /ObjStm,
    # escaped, which a reader unpacks like any other object stream
    data = pdf_with_object_stream(SCRIPT, stream_type=b"/Obj#53tm")
    assert b"/ObjStm" not in data and b"/JS" not in data
    # then the script is found
    assert pdf_problem(data) == "javascript"


def test_an_object_stream_that_inflates_past_the_limit_is_unreadable_not_a_memory_bomb():
    # given a script hidden in an object stream that inflates to 4 MB more than the limit
    data = pdf_with_object_stream(SCRIPT, padding=INFLATE_LIMIT + 4 * 1024 * 1024)
    assert len(data) < INFLATE_LIMIT // 100
    # then qpdf stops inflating, and a file we could not read whole is refused
    assert pdf_problem(data) == "unreadable"


@pytest.mark.parametrize("user_password", ["", "customer-secret"], ids=["opens-without-asking", "asks"])
def test_an_encrypted_pdf_is_found(user_password):
    assert pdf_problem(encrypted_pdf(user_password=user_password)) == "encrypted"


@pytest.mark.parametrize("data", [b"%PDF-1.7\nhello", pdf()[:60]], ids=["no-objects", "cut-short"])
def test_a_pdf_that_cannot_be_parsed_is_unreadable(data):
    assert pdf_problem(data) == "unreadable"


def test_bytes_that_happen_to_spell_js_inside_a_picture_stream_are_not_a_script():
    picture = b"\x00\x01/JS \xff\x10/JavaScript\x00"  # binary pixels, not a dictionary
    stream = (b"9 0 obj\n<< /Type /XObject /Subtype /Image /Length %d >>\nstream\n" % len(picture)
              + picture + b"\nendstream\nendobj\n")
    data = pdf().replace(b"xref\n", stream + b"xref\n", 1)
    assert pdf_problem(data) is None

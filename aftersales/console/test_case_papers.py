"""At the counter: the job sheet (intake receipt with the customer's acknowledgements) in both
languages, the device label whose QR code a scanner reads as the case number, and a hand-over
that needs both checks confirmed."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess

import pytest

from aftersales.console.conftest import book, signed_in
from aftersales.core import clock
from aftersales.repairs.models import Case, EventKind
from aftersales.repairs.testing import drive

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils is installed by scripts/test.sh")


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "paper.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


@needs_poppler
def test_the_job_sheet_holds_the_case_number_the_faults_and_the_three_acknowledgements(centres, tmp_path):
    # given a case booked at Shanghai by an English-speaking customer
    case = book()
    # when staff print its job sheet
    response = signed_in("staff").get(f"/console/cases/{case.number}/job-sheet.pdf")
    # then it is a PDF with the number, the device, the faults and what the customer acknowledged
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert "Job sheet" in text and case.display_number in text and "HD000001" in text
    assert "Will not power on" in text and "Fan is loud" in text and "Li Lei" in text
    assert "I have backed up my data; the repair may erase it." in text
    assert "I have removed my passwords, or given them to the technician." in text
    assert "I have removed peripherals, discs and memory cards." in text


@needs_poppler
def test_the_job_sheet_speaks_chinese_to_a_chinese_customer(centres, tmp_path):
    case = book(language="zh-hans")
    response = signed_in("staff").get(f"/console/cases/{case.number}/job-sheet.pdf")
    text = "".join(pdf_text(response.content, tmp_path).split())
    assert "维修受理单" in text and case.display_number in text and "客户已确认" in text
    assert "我已备份数据；维修可能清除数据。" in text and "我已取出外设、光盘和存储卡。" in text


@needs_poppler
def test_the_label_is_a_small_page_with_the_case_number_printed_and_in_its_qr_code(centres, tmp_path):
    import zxingcpp
    from PIL import Image

    # given a case
    case = book()
    # when staff print its label
    response = signed_in("staff").get(f"/console/cases/{case.number}/label.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "label.pdf"
    path.write_bytes(response.content)
    # then it is one 62 × 29 mm page (175.75 × 82.2 points) with the number in words
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M) and "175.748 x 82.2" in info
    assert case.display_number in pdf_text(response.content, tmp_path)
    # and a barcode reader finds a QR code holding the case number as stored
    png = subprocess.run(["pdftoppm", "-r", "300", "-png", str(path)], capture_output=True, check=True).stdout
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert [(b.format.name, b.text) for b in found] == [("QRCode", case.number)]


def test_the_case_page_offers_the_job_sheet_and_the_label(centres):
    case = book()
    page = signed_in("technician").get(f"/console/cases/{case.number}/").content.decode()
    assert f"/console/cases/{case.number}/job-sheet.pdf" in page and f"/console/cases/{case.number}/label.pdf" in page


@pytest.mark.parametrize("boxes", [{}, {"collect-identity_checked": "on"}, {"collect-returned_complete": "on"}])
def test_a_hand_over_without_both_checks_confirmed_is_refused_and_changes_nothing(centres, boxes):
    # given a device ready at the counter
    case = drive(book(), "ready", now=clock.now())
    # when staff press "Hand over" without confirming both checks
    response = signed_in("staff").post(f"/console/cases/{case.number}/return/collect/", boxes)
    # then they are asked to confirm, and the case is still waiting for its owner
    page = html.unescape(response.content.decode())
    assert response.status_code == 422
    assert "Confirm that you checked the collector's identity." in page or \
        "Confirm that the device and its accessories were handed back." in page
    assert Case.objects.get(pk=case.pk).status == "ready"


def test_a_confirmed_hand_over_records_both_checks_on_the_timeline(centres):
    case = drive(book(), "ready", now=clock.now())
    response = signed_in("staff").post(f"/console/cases/{case.number}/return/collect/",
                                       {"collect-identity_checked": "on", "collect-returned_complete": "on"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == "collected"
    event = case.events.filter(kind=EventKind.STATUS_CHANGED, to_status="collected").get()
    assert "identity checked" in event.summary_en and "已核实取件人身份" in event.summary_zh

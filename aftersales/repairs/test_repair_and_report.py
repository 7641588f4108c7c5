"""Repair with agreed parts only, parts back to stock, and the repair report PDF in both languages."""

import datetime as dt
import shutil
import subprocess

import pytest

from aftersales.core.errors import Conflict, Forbidden
from aftersales.policy.testing import SHIPPED
from aftersales.repairs.conftest import NOW
from aftersales.repairs.diagnosis import finding_record, part_decide, result_record
from aftersales.repairs.numbers import display
from aftersales.repairs.repair import part_fit, part_return_to_stock
from aftersales.repairs.report import report_pdf
from aftersales.repairs.services import case_move
from aftersales.repairs.status import Status
from aftersales.warranty.packs import pack_load

LATER = NOW + dt.timedelta(hours=4)


@pytest.fixture
def repairing(diagnosing, staff):
    pack_load(text=SHIPPED["cn-desktop"])
    finding_record(number=diagnosing.number, position=1, text="The power supply has no output.", outcome="confirmed",
                   part="psu", actor=staff, now=LATER)
    finding_record(number=diagnosing.number, position=2, text="Fan noise comes from the failing PSU fan.",
                   outcome="confirmed", part="psu", actor=staff, now=LATER)
    result_record(number=diagnosing.number, stage="diagnosis", name="PSU output test", passed=False, actor=staff,
                  now=LATER)
    part_decide(number=diagnosing.number, part="psu", actor=staff, now=LATER)
    case_move(number=diagnosing.number, to=Status.REPAIRING, actor=staff, now=LATER)
    return diagnosing


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


def test_a_covered_part_is_fitted_free_and_the_removed_one_goes_back_to_stock(repairing, staff):
    usage = part_fit(number=repairing.number, part="psu", new_serial="PSU-NEW-1", old_serial="PSU-OLD-9",
                     actor=staff, now=LATER)
    assert usage.covered
    back = part_return_to_stock(usage_id=usage.pk, actor=staff, now=LATER)
    assert back.returned_to_stock_at == LATER
    with pytest.raises(Conflict):
        part_return_to_stock(usage_id=usage.pk, actor=staff, now=LATER)


def test_a_part_nobody_agreed_to_is_not_fitted(repairing, staff):
    with pytest.raises(Conflict) as err:
        part_fit(number=repairing.number, part="mainboard", actor=staff, now=LATER)
    assert err.value.code == "part-not-agreed"


def test_a_technician_does_not_fit_parts(repairing, technician):
    with pytest.raises(Forbidden):
        part_fit(number=repairing.number, part="psu", actor=technician, now=LATER)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is installed by scripts/test.sh")
@pytest.mark.parametrize("language, expected", [
    ("zh-hans", ["维修报告", "您报修的问题", "Will not power on", "电源", "通过", "保修", "台式机与一体机保修政策（大中华地区）（2026-11-30）"]),
    ("en", ["Repair report", "You reported", "Fan is loud", "Power supply", "Passed", "Under warranty"]),
])
def test_the_report_tells_what_was_reported_found_tested_and_replaced_in_the_customers_language(
        repairing, staff, tmp_path, language, expected):
    part_fit(number=repairing.number, part="psu", actor=staff, now=LATER)
    case_move(number=repairing.number, to=Status.QA, actor=staff, now=LATER)
    for position in (1, 2):
        result_record(number=repairing.number, stage="qa", name="Power-on and fan test", passed=True,
                      symptom_position=position, actor=staff, now=LATER)
    case_move(number=repairing.number, to=Status.READY, actor=staff, now=LATER)
    data = report_pdf(repairing, language)
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    for words in expected + [display(repairing.number), "Ready to return" if language == "en" else "待返还"]:
        assert words in text, words
    fonts = subprocess.run(["pdffonts", str(tmp_path / "report.pdf")], capture_output=True, text=True).stdout
    assert "Noto-Sans-CJK" in fonts  # the CJK font is embedded, so the report reads anywhere

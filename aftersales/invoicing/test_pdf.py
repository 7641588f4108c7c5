"""The invoice and credit note PDFs, in the customer's language: seller, number, date, customer,
lines and total with its currency, and for a credit note the invoice it credits."""

import datetime as dt
import shutil
import subprocess

import pytest

from aftersales.invoicing.conftest import NOW
from aftersales.invoicing.pdf import document_pdf
from aftersales.invoicing.services import Line, credit_note_issue, invoice_issue

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils is installed by scripts/test.sh")


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


@pytest.fixture
def invoiced(case):
    return invoice_issue(key="repair-1", case=case, currency="CNY", now=NOW, lines=[
        Line("Replacement power supply", "更换电源", "299.00"),
        Line("Labour, half an hour", "人工费（半小时）", "50.00", quantity=2)])


def test_an_invoice_for_a_customer_who_reads_chinese_is_in_chinese(invoiced, tmp_path):
    # given an invoice for Wang Fang, who booked in Chinese
    # when its PDF is made
    data = document_pdf(invoiced)
    # then it reads in Chinese, with the seller, number, date, lines and total in yuan
    text = pdf_text(data, tmp_path)
    for words in ["发票", "编号：CN-2026-000001", "华硕售后服务（中国大陆）", "服务中心：上海徐汇", "2026年11月30日",
                  "Wang Fang", invoiced.case.display_number, "更换电源", "人工费（半小时）", "299.00 元",
                  "100.00 元", "合计", "399.00 元"]:
        assert words in text, words
    assert "Invoice" not in text
    fonts = subprocess.run(["pdffonts", str(tmp_path / "document.pdf")], capture_output=True, text=True).stdout
    assert "Noto-Sans-CJK" in fonts


def test_a_credit_note_in_english_names_the_invoice_it_credits_and_why(db, tmp_path):
    # given an invoice in US dollars for a self-repair order, and a credit note of part of it
    invoice = invoice_issue(key="csr-1", region="US", reference="CSR-8841", currency="USD", now=NOW,
                            customer_name="Jane Doe", customer_email="jane@example.com", language="en",
                            lines=[Line("Replacement SSD, not returned", "更换的固态硬盘（未退回）", "89.00")])
    note = credit_note_issue(key="csr-1-back", invoice=invoice, amount="89.00", reason_en="Part returned late",
                             reason_zh="部件逾期退回", now=NOW + dt.timedelta(days=2))
    # when its PDF is made
    text = pdf_text(document_pdf(note), tmp_path)
    # then it reads in English and names the invoice it credits, its date and the reason
    for words in ["Credit note", "US-2026-C000001", "ASUS after-sales service, United States", "2 December 2026",
                  "Jane Doe", "jane@example.com", "CSR-8841", "US-2026-000001 (issued on 30 November 2026)",
                  "Part returned late", "Total credited", "USD 89.00"]:
        assert words in text, words
    assert "贷项通知单" not in text

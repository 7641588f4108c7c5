"""Where people get a case's invoices and credit notes: the customer from the portal's case page
once they have opened the case, staff from the console's case page of a centre they read; each
downloads as a PDF in the customer's language."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.core.testing import role_user
from aftersales.invoicing.conftest import NOW
from aftersales.invoicing.services import Line, credit_note_issue, invoice_issue


@pytest.fixture
def billed(case):
    """An invoice of 150.00 CNY for the case, 50.00 of it credited."""
    invoice = invoice_issue(key="repair-1", case=case, currency="CNY", now=NOW,
                            lines=[Line("Deep cleaning", "深层清洁", "150.00")])
    note = credit_note_issue(key="refund-1", invoice=invoice, amount="50.00", reason_en="Overcharge corrected",
                             reason_zh="更正多收的费用", now=NOW + dt.timedelta(days=1))
    return case, invoice, note


def test_the_customer_finds_the_invoice_and_credit_note_on_their_case_page_and_downloads_them(billed):
    case, invoice, note = billed
    # given a customer who looked their case up with its number and e-mail
    client = Client()
    assert client.post("/track/", {"number": case.number, "contact": case.email}).status_code == 302
    # when they open the case page
    page = client.get(reverse("portal:case", kwargs={"number": case.number})).content.decode()
    # then it lists both documents with their totals, each a link to its PDF
    assert "Invoice CN-2026-000001" in page and "CNY 150.00" in page
    assert "Credit note CN-2026-C000001 (for invoice CN-2026-000001)" in page and "CNY 50.00" in page
    for document in (invoice, note):
        url = reverse("portal:case-document", kwargs={"number": case.number, "document": document.number})
        assert url in page
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF") and response["Cache-Control"] == "private, no-store"


def test_a_customer_reading_chinese_finds_the_documents_named_in_chinese(billed):
    case, _, _ = billed
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert client.post("/track/", {"number": case.number, "contact": case.email}).status_code == 302
    page = client.get(reverse("portal:case", kwargs={"number": case.number})).content.decode()
    assert "发票与贷项通知单" in page and "发票 CN-2026-000001" in page and "150.00 元" in page
    assert "贷项通知单 CN-2026-C000001（冲减发票 CN-2026-000001）" in page and "2026年12月1日" in page


def test_a_stranger_gets_no_document_of_a_case_they_have_not_opened(billed):
    case, invoice, _ = billed
    url = reverse("portal:case-document", kwargs={"number": case.number, "document": invoice.number})
    assert Client().get(url).status_code == 404


@pytest.mark.parametrize(("role", "sees"), [("staff", True), ("auditor", True), ("technician", False)])
def test_the_console_case_page_lists_the_documents_for_those_who_may_read_them(billed, centre, role, sees):
    case, invoice, _ = billed
    # given someone in the role working at the case's centre
    client = Client()
    client.force_login(role_user(role, centres=[centre]))
    # when they open the case page
    page = client.get(reverse("console:case", kwargs={"number": case.number})).content.decode()
    # then staff and auditors see the documents and open the PDF; a third-party technician sees neither
    url = reverse("console:case-document", kwargs={"number": case.number, "document": invoice.number})
    assert ("Invoices and credit notes" in page, url in page) == (sees, sees)
    assert client.get(url).status_code == (200 if sees else 403)


def test_a_document_number_of_another_case_is_not_found_under_this_case(billed, centre):
    case, invoice, _ = billed
    other = invoice_issue(key="order-1", region="CN", reference="CSR-1", currency="CNY", now=NOW,
                          customer_name="Li Lei", language="zh", lines=[Line("Memory", "内存", "199.00")])
    client = Client()
    client.force_login(role_user("staff", centres=[centre]))
    for number in (other.number, "CN-2026-999999", "CN-2026-000001 OR 1=1"):
        url = reverse("console:case-document", kwargs={"number": case.number, "document": number})
        assert client.get(url).status_code == 404, number

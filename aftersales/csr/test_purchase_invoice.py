"""A part kept past the return deadline is invoiced: once, with the deposit posted to revenue,
named in the customer's notice, and downloadable from the status page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from aftersales.core.testing import NOW
from aftersales.csr.applications import order_apply
from aftersales.csr.conftest import APPLICATION
from aftersales.csr.services import order_ship
from aftersales.csr.timers import deadline_check_run
from aftersales.csr.views import SESSION_KEY
from aftersales.invoicing.models import Invoice
from aftersales.ledger.models import Kind
from aftersales.notifications.models import Notification

pytestmark = pytest.mark.django_db
AFTER_DEADLINE = dt.datetime(2025, 6, 16, 14, 0, tzinfo=dt.UTC)  # 10:00 on 16 June in New York


def kept(programme):
    order = order_apply(**APPLICATION, now=NOW)
    order_ship(number=order.number, tracking="1Z999AA10123456784", actor="staff1", now=NOW + dt.timedelta(days=1))
    assert deadline_check_run(number=order.number, now=AFTER_DEADLINE) == "purchased"
    return order


def test_a_part_kept_past_the_deadline_is_invoiced_for_the_deposit_linked_to_its_posting(programme):
    order = kept(programme)
    invoice = Invoice.objects.get()
    assert (invoice.number, invoice.reference, invoice.total, invoice.currency) == \
        ("US-2025-000001", order.number, Decimal("89.00"), "USD")
    assert (invoice.customer_name, invoice.customer_email, invoice.language) == \
        ("Ann Lee", "ann.lee@example.com", "en")
    line = invoice.lines.get()
    assert "solid-state drive" in line.description_en and "15 June 2025" in line.description_en
    assert "固态硬盘" in line.description_zh and line.amount == Decimal("89.00")
    posted = invoice.transfers.get()
    assert (posted.kind, posted.amount) == (Kind.POST, Decimal("89.00"))


def test_the_purchase_notice_names_the_invoice(programme):
    order = kept(programme)
    notice = Notification.objects.get(key=f"csr:{order.number}:purchased")
    assert "Invoice US-2025-000001 can be downloaded from the status page." in notice.body_text


def test_running_the_deadline_check_again_issues_no_second_invoice(programme):
    order = kept(programme)
    assert deadline_check_run(number=order.number, now=AFTER_DEADLINE + dt.timedelta(days=1)) == "wait"
    assert Invoice.objects.count() == 1


def test_the_status_page_offers_the_invoice_pdf_to_the_customer_who_opened_the_order(programme):
    order = kept(programme)
    customer, stranger = Client(), Client()
    session = customer.session
    session[SESSION_KEY] = [order.number]
    session.save()
    page = customer.get(f"/self-repair/{order.number}/").content.decode()
    assert f'href="/self-repair/{order.number}/invoice.pdf"' in page and "US-2025-000001" in page
    pdf = customer.get(f"/self-repair/{order.number}/invoice.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert stranger.get(f"/self-repair/{order.number}/invoice.pdf").status_code == 404


def test_an_order_not_yet_bought_has_no_invoice_to_download(programme):
    order = order_apply(**APPLICATION, now=NOW)
    customer = Client()
    session = customer.session
    session[SESSION_KEY] = [order.number]
    session.save()
    assert "invoice.pdf" not in customer.get(f"/self-repair/{order.number}/").content.decode()
    assert customer.get(f"/self-repair/{order.number}/invoice.pdf").status_code == 404


def test_the_status_page_in_chinese_offers_the_invoice_in_chinese(programme):
    order = kept(programme)
    customer = Client(headers={"accept-language": "zh-hans"})
    session = customer.session
    session[SESSION_KEY] = [order.number]
    session.save()
    assert "下载发票 US-2025-000001（PDF）" in customer.get(f"/self-repair/{order.number}/").content.decode()

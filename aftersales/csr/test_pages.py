"""The self-repair pages, through the test client: apply, be refused with every reason and a way
to a regular repair, open the order with its number and contact, print the return label, cancel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client

from aftersales.core.testing import NOW
from aftersales.csr.conftest import APPLICATION, fault
from aftersales.csr.models import Order
from aftersales.csr.numbers import display
from aftersales.csr.services import order_ship

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()


def form(client: Client, **changes) -> dict:
    page = client.get("/self-repair/")
    key = page.context["form"].initial["request_key"]
    data = {k: v for k, v in APPLICATION.items() if k not in ("language", "payment_token")}
    return data | {"request_key": key, "payment_token": "local", "purchased_on": "2025-02-01"} | changes


def test_applying_opens_the_order_page_with_the_deposit_and_the_return_date(programme):
    client = Client()
    response = client.post("/self-repair/", form(client), follow=True)
    order = Order.objects.get()
    assert response.redirect_chain[-1][0] == f"/self-repair/{order.number}/"
    text = response.content.decode()
    assert display(order.number) in text and "89.00 USD" in text and "2025-06-15" in text
    assert "Cancel my self-repair" in text and "Print the return label" not in text


def test_applying_in_chinese_shows_the_refusals_in_chinese_with_a_way_to_book_a_regular_repair(programme):
    fault(programme, "memory")
    client = Client(headers={"accept-language": "zh-hans"})
    response = client.post("/self-repair/", form(client))
    assert response.status_code == 422
    text = response.content.decode()
    assert "常规维修" in text and 'data-code="several-faults"' in text and 'href="/repair/apply/"' in text
    assert "自助更换部件" in text and "要更换的部件" in text and "Replace a part yourself" not in text
    assert Order.objects.count() == 0


def test_an_order_opens_with_its_number_and_the_email_and_not_with_another_contact(programme):
    Client().post("/self-repair/", form(Client()))
    order = Order.objects.get()
    stranger = Client()
    assert stranger.get(f"/self-repair/{order.number}/").status_code == 404
    wrong = stranger.post("/self-repair/find/", {"number": display(order.number).lower(), "contact": "x@example.com"})
    assert wrong.status_code == 404 and "We found no self-repair order" in wrong.content.decode()
    right = stranger.post("/self-repair/find/", {"number": display(order.number).lower(),
                                                "contact": "ANN.LEE@example.com"})
    assert right.status_code == 302 and right["Location"] == f"/self-repair/{order.number}/"
    assert stranger.get(right["Location"]).status_code == 200


def test_once_shipped_the_return_label_prints_as_a_pdf_as_often_as_needed(programme):
    client = Client()
    client.post("/self-repair/", form(client))
    order = Order.objects.get()
    assert client.get(f"/self-repair/{order.number}/label.pdf").status_code == 404
    order_ship(number=order.number, tracking="1Z999AA10123456784", actor="staff1", now=NOW + dt.timedelta(days=1))
    page = client.get(f"/self-repair/{order.number}/").content.decode()
    assert "1Z999AA10123456784" in page and order.return_tracking in page
    for _ in range(2):
        label = client.get(f"/self-repair/{order.number}/label.pdf")
        assert label.status_code == 200 and label["Content-Type"] == "application/pdf"
        assert label.content.startswith(b"%PDF")


def test_cancelling_before_shipping_from_the_status_page_says_so(programme):
    client = Client()
    client.post("/self-repair/", form(client))
    order = Order.objects.get()
    page = client.post(f"/self-repair/{order.number}/cancel/", follow=True).content.decode()
    order.refresh_from_db()
    assert order.status == "cancelled" and "Cancel my self-repair" not in page


def test_a_form_with_a_card_number_in_place_of_the_token_is_refused_and_nothing_kept(programme):
    client = Client()
    response = client.post("/self-repair/", form(client, payment_token="4111111111111111"))
    assert response.status_code == 400 and "payment provider" in response.content.decode()
    assert "4111111111111111" not in response.content.decode() and Order.objects.count() == 0

"""The staff page: staff take an order from shipping to the confirmed return; the customer,
a technician and a visitor are kept out."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales.core.testing import NOW, role_user
from aftersales.csr.applications import order_apply
from aftersales.csr.conftest import APPLICATION
from aftersales.csr.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(programme):
    return order_apply(**APPLICATION, now=NOW)


def signed_in(role: str) -> Client:
    client = Client()
    client.force_login(role_user(role))
    return client


def test_staff_ship_the_part_and_confirm_its_return_step_by_step(order):
    client = signed_in("staff")
    assert order.number[:4] in client.get("/self-repair/staff/").content.decode()
    url = f"/self-repair/staff/{order.number}/"
    client.post(url, {"step": "ship", "tracking": "1Z999AA10123456784"})
    client.post(url, {"step": "delivered"})
    client.post(url, {"step": "return-taken"})
    client.post(url, {"step": "return-confirmed"})
    order.refresh_from_db()
    assert order.status == "return-received" and order.outbound_tracking == "1Z999AA10123456784"
    assert [e.actor for e in order.events.all()] == ["customer", "staff-user", "carrier", "carrier", "staff-user"]


def test_a_step_out_of_order_is_refused_with_a_message_and_changes_nothing(order):
    client = signed_in("staff")
    page = client.post(f"/self-repair/staff/{order.number}/", {"step": "return-confirmed"}, follow=True)
    assert "This step cannot be taken now" in page.content.decode()
    order.refresh_from_db()
    assert order.status == "deposit-held"


@pytest.mark.parametrize("role", ["customer", "technician", "auditor"])
def test_other_roles_may_not_open_the_staff_page_or_take_a_step(order, role):
    client = signed_in(role)
    assert client.get("/self-repair/staff/").status_code == 403
    assert client.post(f"/self-repair/staff/{order.number}/", {"step": "ship", "tracking": "X1"}).status_code == 403
    assert Order.objects.get().status == "deposit-held"


def test_a_visitor_is_sent_to_sign_in(order):
    assert Client().get("/self-repair/staff/").status_code == 302

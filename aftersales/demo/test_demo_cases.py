"""The demo cases: real timelines at three steps, and no duplicates when the demo is loaded again."""

import datetime as dt

import pytest
from django.test import Client

from aftersales.core.testing import NOW, device_made, role_user, shipped_packs_loaded
from aftersales.demo.cases import DEMO_EMAIL, demo_cases, demo_customer_account
from aftersales.repairs.models import Case
from aftersales.repairs.status import Status

pytestmark = pytest.mark.django_db


def test_the_demo_builds_a_booked_a_ready_and_a_quoted_case_once(centre):
    shipped_packs_loaded()
    device_made("HDCN00001", "home-desktop", dt.date(2025, 1, 5), "CN")
    device_made("HDCN00002", "home-desktop", dt.date(2020, 1, 5), "CN")
    staff = role_user("staff", centres=[centre])
    lines = demo_cases(centre="sh-01", staff=staff, in_warranty="HDCN00001", out_of_warranty="HDCN00002", now=NOW)
    assert len(lines) == 3 and "/q/" in lines[2]
    statuses = list(Case.objects.filter(email=DEMO_EMAIL).order_by("created_at").values_list("status", flat=True))
    assert statuses == [Status.BOOKED, Status.READY, Status.AWAITING_CUSTOMER]
    demo_cases(centre="sh-01", staff=staff, in_warranty="HDCN00001", out_of_warranty="HDCN00002", now=NOW)
    assert Case.objects.filter(email=DEMO_EMAIL).count() == 3


def test_the_demo_customer_signs_in_and_sees_the_demo_cases(centre):
    # given the demo cases and the demo customer's account
    shipped_packs_loaded()
    device_made("HDCN00001", "home-desktop", dt.date(2025, 1, 5), "CN")
    device_made("HDCN00002", "home-desktop", dt.date(2020, 1, 5), "CN")
    demo_cases(centre="sh-01", staff=role_user("staff", centres=[centre]), in_warranty="HDCN00001",
               out_of_warranty="HDCN00002", now=NOW)
    customer = role_user("customer", username="customer")
    assert demo_customer_account(user=customer, now=NOW) == 3
    # when the customer signs in on the portal with the password, by user name
    client = Client()
    assert client.post("/account/sign-in/", {"login": "customer", "password": "not-used-pw"}).status_code == 302
    # then "my repairs" lists the three demo cases
    page = client.get("/account/cases/").content.decode()
    assert all(case.display_number in page for case in Case.objects.filter(email=DEMO_EMAIL))
    # and loading the demo again changes nothing
    assert demo_customer_account(user=customer, now=NOW) == 0

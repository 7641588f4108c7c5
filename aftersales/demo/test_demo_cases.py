"""The demo cases: real timelines at three steps, and no duplicates when the demo is loaded again."""

import datetime as dt

import pytest
from django.test import Client

from aftersales.core.testing import NOW, device_made, role_user, shipped_packs_loaded
from aftersales.dashboards.board import scope_of
from aftersales.dashboards.cases import cases_by_status
from aftersales.demo.cases import DEMO_EMAIL, demo_cases, demo_customer_account
from aftersales.repairs.models import Case, CaseEvent
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


def _demo(centre):
    shipped_packs_loaded()
    device_made("HDCN00001", "home-desktop", dt.date(2025, 1, 5), "CN")
    device_made("HDCN00002", "home-desktop", dt.date(2020, 1, 5), "CN")
    return demo_cases(centre="sh-01", staff=role_user("staff", centres=[centre]), in_warranty="HDCN00001",
                      out_of_warranty="HDCN00002", now=NOW)


def test_every_step_of_the_demo_cases_has_happened_by_the_time_the_demo_is_loaded(centre):
    # given the demo cases built at NOW
    _demo(centre)
    cases = Case.objects.filter(email=DEMO_EMAIL)
    # then nothing about them is dated after NOW: not their opening, their last move, nor any event
    assert max(cases.values_list("created_at", flat=True)) <= NOW
    assert max(cases.values_list("status_changed_at", flat=True)) <= NOW
    assert max(CaseEvent.objects.filter(case__in=cases).values_list("at", flat=True)) <= NOW
    # and the dashboard counts all three at once, in the order of the work
    rows = cases_by_status(scope_of(centres=None, period="30d", now=NOW))
    assert rows == [{"status": "booked", "cases": 1}, {"status": "awaiting-customer", "cases": 1},
                    {"status": "ready", "cases": 1}]


def test_loading_the_demo_again_names_each_case_status_as_the_desk_reads_it(centre):
    _demo(centre)
    again = demo_cases(centre="sh-01", staff=None, in_warranty="HDCN00001", out_of_warranty="HDCN00002", now=NOW)
    numbers = [c.display_number for c in Case.objects.filter(email=DEMO_EMAIL).order_by("created_at")]
    assert again == [f"{numbers[0]}  Booked", f"{numbers[1]}  Ready to return",
                     f"{numbers[2]}  Waiting for the customer"]

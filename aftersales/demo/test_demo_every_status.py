"""The demo as a newcomer meets it: a serial to try for every product line, a case in every status
(each moved there through the ordinary door), and the staff logins it prints, which sign in. One
test, because loading the demo takes seconds."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from aftersales.accounts.models import User
from aftersales.core import clock
from aftersales.demo.cases import DEMO_EMAIL
from aftersales.demo.every_status import cases_in_every_status
from aftersales.repairs.models import Case, EventKind
from aftersales.warranty.models import Device

pytestmark = pytest.mark.django_db

EVERY_STATUS = {"booked", "received", "diagnosing", "awaiting-customer", "repairing", "qa", "ready", "shipped",
                "collected", "in-storage", "disposal-review", "cancelled"}


def run() -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("demo-data", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_the_demo_prints_serials_of_every_line_builds_a_case_in_every_status_once_and_its_logins_work():
    # when the demo is loaded
    printed = run()
    # then it prints, for every product line, serials of that line with their warranty answer
    block = printed.split("Serial numbers to try on /warranty/")[1].split("\n\n")[0]
    tried = re.findall(r"^  ([A-Z0-9]+)\s+([a-z-]+)\s+part mainboard: (?:in|out of) warranty", block, re.M)
    assert {line for _, line in tried} == {"rog-desktop", "home-desktop", "aio", "mini-pc", "nuc", "notebook"}
    assert all(Device.objects.get(serial=serial).product_line == line for serial, line in tried)
    assert "HDCN00001" in block and "NBUS00001" in block
    # and it has a case in every status, each moved there through the door (its status is the
    # one its last status-change event moved it to), each printed
    cases = Case.objects.filter(email=DEMO_EMAIL)
    assert set(cases.values_list("status", flat=True)) == EVERY_STATUS
    for case in cases.exclude(status="booked"):
        last = case.events.filter(kind=EventKind.STATUS_CHANGED).order_by("-at", "-id").first()
        assert last is not None and last.to_status == case.status, case.status
        assert case.display_number in printed
    # and building them again adds none
    count = Case.objects.count()
    staff = User.objects.get(username="staff")
    assert cases_in_every_status(centre="sh-xuhui", staff=staff, serial="HDCN00001", now=clock.now()) == []
    assert Case.objects.count() == count
    # and every staff login it prints signs in to the console with the printed password
    for username in ("staff", "technician", "verifier", "execcare", "auditor", "admin"):
        assert re.search(rf"^  {username}\s", printed, re.M)
        client = Client()
        response = client.post("/console/login/", {"username": username, "password": "aftersales-demo"})
        assert response.status_code == 302 and response["Location"] == "/console/", username
        assert client.get("/console/").status_code == 200, username

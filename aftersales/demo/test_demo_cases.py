"""The demo cases: real timelines at three steps, and no duplicates when the demo is loaded again."""

import datetime as dt

import pytest

from aftersales.core.testing import NOW, device_made, role_user, shipped_packs_loaded
from aftersales.demo.cases import DEMO_EMAIL, demo_cases
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

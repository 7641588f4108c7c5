"""A ROG desktop's system fault booked from the portal: free by day as the device's VIP software
visit, which the booking uses; once it is used, the same fault is a paid visit."""

import datetime as dt

import pytest
from django.urls import reverse

from aftersales.core import clock
from aftersales.core.testing import shipped_packs_loaded
from aftersales.onsite.fixtures import NOW, TUESDAY, shanghai
from aftersales.onsite.models import Purpose, VipUsage, Visit
from aftersales.onsite.rules.slots import minute
from aftersales.portal.cases import SESSION_KEY


@pytest.fixture
def rog_case(client, onsite_case):
    shipped_packs_loaded()
    case = onsite_case("RG810001", "rog-desktop", dt.date(2026, 2, 1))
    session = client.session
    session[SESSION_KEY] = [case.number]
    session.save()
    with clock.frozen(NOW):
        yield case


def book_system_fault(client, case):
    return client.post(reverse("portal:case-visit", args=[case.number]),
                       {"symptom": "system", "city": "cn-shanghai", "address": "1 Huashan Road",
                        "slot": str(minute(shanghai(TUESDAY, 9))), "evening": "0"})


def test_a_rog_system_fault_is_booked_as_the_free_vip_software_visit_and_uses_it(client, rog_case, tech):
    assert book_system_fault(client, rog_case).status_code == 302
    visit = Visit.objects.get()
    assert (visit.purpose, visit.free_onsite, str(visit.trip_fee)) == (Purpose.SOFTWARE, True, "0.00")
    assert VipUsage.objects.get(device=rog_case.device).software_visit == 1


def test_once_the_software_visit_is_used_a_rog_system_fault_is_a_paid_repair_visit(client, rog_case, tech):
    VipUsage.objects.create(device=rog_case.device, software_visit=1)
    assert book_system_fault(client, rog_case).status_code == 302
    visit = Visit.objects.get()
    assert (visit.purpose, visit.free_onsite, str(visit.trip_fee)) == (Purpose.REPAIR, False, "100.00")
    assert VipUsage.objects.get(device=rog_case.device).software_visit == 1

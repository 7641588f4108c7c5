"""The VIP service panel: staff on the console's case and device pages and the customer on the
portal's case page see what is left of a ROG desktop's cleaning and software visit, and the
loaner; a device without VIP service shows no panel."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.core import clock
from aftersales.core.testing import shipped_packs_loaded
from aftersales.onsite.fixtures import NOW
from aftersales.onsite.loans import loaner_lend
from aftersales.onsite.models import Loaner, VipUsage
from aftersales.portal.cases import SESSION_KEY

BOUGHT = dt.date(2026, 2, 1)  # cleaning to 2027-01-31, software visit to 2029-01-31 (made 2026-01-10)


@pytest.fixture(autouse=True)
def frozen(db):
    shipped_packs_loaded()
    with clock.frozen(NOW):
        yield


def staff_client(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def customer_client(case) -> Client:
    client = Client()
    session = client.session
    session[SESSION_KEY] = [case.number]
    session.save()
    return client


def test_staff_see_both_visits_left_and_the_loaner_on_the_case_page(onsite_case, staff, centre):
    case = onsite_case("RG900001", "rog-desktop", BOUGHT)
    Loaner.objects.create(centre=centre, tag="LN-0009", model="ROG G22CH")
    loaner_lend(number=case.number, tag="LN-0009", actor=staff, now=NOW)
    page = staff_client(staff).get(reverse("console:case", args=[case.number]), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "1 of 1 left, until 2027-01-31" in text and "1 of 1 left, until 2029-01-31" in text
    assert "ROG G22CH (LN-0009) is on loan until the repair is done." in text


def test_the_customer_sees_a_used_software_visit_in_chinese(onsite_case):
    case = onsite_case("RG900002", "rog-desktop", BOUGHT)
    VipUsage.objects.create(device=case.device, software_visit=1)
    page = customer_client(case).get(reverse("portal:case", args=[case.number]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert "VIP 服务" in text
    assert "剩余 1 次（共 1 次），截至 2027-01-31（含）" in text  # the cleaning
    assert "已用完（共 1 次）" in text  # the software visit
    assert "目前没有借出备用机。维修完成前可借用一台备用机。" in text


def test_staff_see_the_counters_on_the_device_page_from_the_purchase_date_on_its_case(onsite_case, staff):
    case = onsite_case("RG900003", "rog-desktop", BOUGHT)
    VipUsage.objects.create(device=case.device, cleaning=1)
    page = staff_client(staff).get(reverse("console:device", args=["RG900003"]), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "Used (1 of 1)" in text and "1 of 1 left, until 2029-01-31" in text
    assert "A loaner can be lent until the repair is done." in text


def test_a_cleaning_not_used_in_the_first_year_reads_as_ended(onsite_case, staff):
    case = onsite_case("RG900004", "rog-desktop", dt.date(2025, 11, 1), made_on=dt.date(2025, 9, 1))
    page = staff_client(staff).get(reverse("console:case", args=[case.number]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Not used; the period ended on 2026-10-31" in page.content.decode()


def test_a_home_desktop_shows_no_vip_panel(onsite_case, staff):
    case = onsite_case("HD900005")
    page = staff_client(staff).get(reverse("console:case", args=[case.number]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "VIP service" not in page.content.decode()
    portal = customer_client(case).get(reverse("portal:case", args=[case.number]), HTTP_ACCEPT_LANGUAGE="en")
    assert portal.status_code == 200 and "VIP service" not in portal.content.decode()

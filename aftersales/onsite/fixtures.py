"""Fixtures for on-site work, a plugin of the whole suite (the portal's visit pages use them too):
a Shanghai centre with its place on the map, nearby cities, a technician with day and evening
hours, and on-site cases booked for one device each."""

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.centres.models import City, ServiceCentre
from aftersales.core.testing import device_made, role_user
from aftersales.onsite.models import WorkingHours
from aftersales.policy.pack import parse_pack
from aftersales.policy.testing import SHIPPED
from aftersales.repairs.services import Intake, case_book

NOW = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)  # Monday 30 November 2026, 10:00 in Shanghai
TUESDAY = dt.date(2026, 12, 1)


def shanghai(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, dt.time(hh, mm), ZoneInfo("Asia/Shanghai")).astimezone(dt.UTC)


@pytest.fixture(scope="session")
def desktop_pack():
    """The shipped desktop terms, with their visit fees and VIP list."""
    return parse_pack(SHIPPED["cn-desktop"])


@pytest.fixture
def visit_terms(desktop_pack):
    return desktop_pack.visits


@pytest.fixture
def centre(db):
    centre = ServiceCentre.objects.create(code="sh-01", name_en="Shanghai Xuhui", name_zh="上海徐汇", region="CN",
                                          city="Shanghai", timezone="Asia/Shanghai", latitude=Decimal("31.188000"),
                                          longitude=Decimal("121.437000"))
    City.objects.create(code="cn-shanghai", region="CN", name_en="Shanghai", name_zh="上海", level="province",
                        latitude=Decimal("31.230400"), longitude=Decimal("121.473700"))
    City.objects.create(code="cn-kunshan", region="CN", name_en="Kunshan", name_zh="昆山", level="county",
                        latitude=Decimal("31.385600"), longitude=Decimal("120.980800"))
    return centre


def technician_with_hours(centre, username: str):
    tech = role_user("technician", username=username, centres=[centre])
    for weekday in range(7):
        WorkingHours.objects.create(technician=tech, centre=centre, weekday=weekday, starts=dt.time(9),
                                    ends=dt.time(17))
        WorkingHours.objects.create(technician=tech, centre=centre, weekday=weekday, starts=dt.time(18),
                                    ends=dt.time(21))
    return tech


@pytest.fixture
def tech(centre):
    return technician_with_hours(centre, "wang-wei")


@pytest.fixture
def staff(centre):
    return role_user("staff", username="desk", centres=[centre])


@pytest.fixture
def onsite_case(centre):
    def make(serial: str, line: str = "home-desktop", purchased_on: dt.date | None = None,
             made_on: dt.date = dt.date(2026, 1, 10)):
        device_made(serial, line, made_on, "CN")
        return case_book(intake=Intake(centre="sh-01", kind="onsite", customer_name="Li Lei",
                                       email="li.lei@example.com", phone="13800000000", serial=serial,
                                       symptoms=["Will not power on"], ack_data_loss=True, ack_passwords=True,
                                       ack_peripherals=True, language="zh-hans", purchased_on=purchased_on),
                         actor=None, now=NOW)
    return make

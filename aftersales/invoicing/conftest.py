"""A repair case at Shanghai for invoices to be about, issued at a fixed moment."""

import datetime as dt

import pytest

from aftersales.centres.models import ServiceCentre
from aftersales.repairs.services import case_book
from aftersales.warranty.registry import devices_import_csv
from aftersales.repairs.conftest import intake

# 30 November 2026, 16:00 in Shanghai.
NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def centre(db):
    return ServiceCentre.objects.create(code="sh-01", name_en="Shanghai Xuhui", name_zh="上海徐汇", region="CN",
                                        city="Shanghai", timezone="Asia/Shanghai")


@pytest.fixture
def case(centre):
    devices_import_csv(data=b"serial,model,product_line,manufactured_on,shipped_on,sold_in\n"
                            b"HD000123,D700MA,home-desktop,2024-01-10,2024-01-20,CN\n")
    return case_book(intake=intake(customer_name="Wang Fang", email="wang.fang@example.com"), actor=None, now=NOW)

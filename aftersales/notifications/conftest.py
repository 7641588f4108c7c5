import datetime as dt

import pytest

from aftersales.centres.models import ServiceCentre
from aftersales.core.testing import shipped_packs_loaded
from aftersales.repairs.services import Intake, case_book
from aftersales.repairs.status import Status
from aftersales.repairs.testing import drive
from aftersales.warranty.registry import devices_import_csv

# 17:30 in Shanghai on 3 March 2025.
NOW = dt.datetime(2025, 3, 3, 9, 30, tzinfo=dt.timezone.utc)


@pytest.fixture
def shop(db):
    """A Shanghai service centre, one home desktop in the registry, and the shipped packs."""
    shipped_packs_loaded()
    devices_import_csv(data=b"serial,model,product_line,manufactured_on,shipped_on,sold_in\n"
                            b"HD000123,D700MA,home-desktop,2024-01-10,2024-01-20,CN\n")
    return ServiceCentre.objects.create(code="sh-01", name_en="Shanghai Xuhui", name_zh="上海徐汇", region="CN",
                                        city="Shanghai", timezone="Asia/Shanghai",
                                        address="88 Caoxi Road", phone="021-5555-0100")


def book(**overrides):
    fields = dict(centre="sh-01", kind="carry-in", customer_name="Li Lei", email="li.lei@example.com",
                  phone="13800000000", serial="HD000123", symptoms=["Will not power on"], ack_data_loss=True,
                  ack_passwords=True, ack_peripherals=True, language="zh-hans")
    fields.update(overrides)
    return case_book(intake=Intake(**fields), actor=None, now=NOW)


def make_ready(case, now=NOW):
    """Received, diagnosed with nothing to repair, and ready to return: the shortest way to READY."""
    return drive(case, Status.READY, now=now)

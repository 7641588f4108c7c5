import datetime as dt

import pytest

from aftersales.centres.models import ServiceCentre
from aftersales.repairs.services import Intake, case_book
from aftersales.warranty.registry import devices_import_csv

NOW = dt.datetime(2025, 3, 3, 9, 30, tzinfo=dt.timezone.utc)


@pytest.fixture
def centre(db):
    return ServiceCentre.objects.create(code="sh-01", name_en="Shanghai Xuhui", name_zh="上海徐汇", region="CN",
                                        city="Shanghai", timezone="Asia/Shanghai")


@pytest.fixture
def device(db):
    devices_import_csv(data=b"serial,model,product_line,manufactured_on,shipped_on,sold_in\n"
                            b"HD000123,D700MA,home-desktop,2024-01-10,2024-01-20,CN\n")
    return "HD000123"


def intake(**overrides) -> Intake:
    fields = dict(centre="sh-01", kind="carry-in", customer_name="Li Lei", email="li.lei@example.com",
                  phone="13800000000", serial="HD000123", symptoms=["Will not power on", "Fan is loud"],
                  ack_data_loss=True, ack_passwords=True, ack_peripherals=True, language="zh-hans")
    fields.update(overrides)
    return Intake(**fields)


@pytest.fixture
def booked(centre, device):
    return case_book(intake=intake(), actor=None, now=NOW)


def make_user(username: str, role: str, *, centres=()):
    """A user in ``role`` working at ``centres`` (service centres or their ids)."""
    from django.contrib.auth.models import Group

    from aftersales.accounts.models import User

    user = User.objects.create_user(username=username, password="x-" + username)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    user.centres.add(*centres)
    return user


@pytest.fixture
def staff(centre):
    return make_user("staff1", "staff", centres=[centre])


@pytest.fixture
def technician(centre):
    return make_user("tech1", "technician", centres=[centre])


@pytest.fixture
def exec_care(db):
    return make_user("care1", "exec-care")


@pytest.fixture
def diagnosing(booked, staff):
    from aftersales.repairs.services import case_move

    case_move(number=booked.number, to="received", actor=staff, now=NOW)
    case_move(number=booked.number, to="diagnosing", actor=staff, now=NOW)
    return booked

import datetime as dt

import pytest
from django.test import Client

from aftersales.centres.models import ServiceCentre
from aftersales.core import clock
from aftersales.core.testing import NOW, device_made, role_user, shipped_packs_loaded
from aftersales.repairs.services import Intake, case_book, case_move
from aftersales.repairs.testing import staff_member


@pytest.fixture
def frozen_now():
    with clock.frozen(NOW) as now:
        yield now


@pytest.fixture
def registry(db, frozen_now):
    """The shipped packs, a home desktop and an all-in-one from mainland China, and a notebook
    from the United States."""
    shipped_packs_loaded()
    return {
        "desktop": device_made("HD000001", "home-desktop", dt.date(2024, 3, 1), "CN", model="S500SE"),
        "aio": device_made("AI000001", "aio", dt.date(2024, 9, 1), "CN", model="A5402WVA"),
        "notebook": device_made("NB000001", "notebook", dt.date(2025, 1, 10), "US", model="Zenbook 14"),
    }


# --- repair cases --------------------------------------------------------------------------------
@pytest.fixture
def centres(registry):
    """A centre in Shanghai and one in Fremont (which films every parcel)."""
    return {
        "sh": ServiceCentre.objects.create(code="sh-01", name_en="Shanghai Xuhui", name_zh="上海徐汇", region="CN",
                                           city="Shanghai", timezone="Asia/Shanghai"),
        "us": ServiceCentre.objects.create(code="us-01", name_en="Fremont Depot", name_zh="弗里蒙特维修中心",
                                           region="US", city="Fremont", timezone="America/Los_Angeles",
                                           requires_parcel_media=True),
    }


def book(*, centre: str = "sh-01", serial: str = "HD000001", at: dt.datetime | None = None, **overrides):
    """A case booked the way a customer books one: two faults, all three acknowledgements."""
    fields = dict(centre=centre, kind="carry-in", customer_name="Li Lei", email="li.lei@example.com",
                  phone="13800000000", serial=serial, symptoms=["Will not power on", "Fan is loud"],
                  ack_data_loss=True, ack_passwords=True, ack_peripherals=True, language="en")
    fields.update(overrides)
    return case_book(intake=Intake(**fields), actor=None, now=at or clock.now())


def moved(case, *statuses, actor=None):
    for status in statuses:
        case_move(number=case.number, to=status, actor=actor or staff_member(), now=clock.now())
    case.refresh_from_db()
    return case


def signed_in(role: str, *, centre: ServiceCentre | str | None = "sh-01", **kwargs) -> Client:
    """A browser signed in as a new user in ``role``, working at ``centre`` (a centre, or the code
    of one if it exists; by default Shanghai, where ``book`` books; None: no centre)."""
    if isinstance(centre, str):
        centre = ServiceCentre.objects.filter(code=centre).first()
    user = role_user(role, centres=[centre] if centre is not None else (), **kwargs)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def booked(centres):
    return book()


@pytest.fixture
def diagnosing(booked):
    return moved(booked, "received", "diagnosing")


@pytest.fixture
def media_root(settings, tmp_path):
    """Evidence files go to a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT

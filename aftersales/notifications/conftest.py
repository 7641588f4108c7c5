import asyncio
import datetime as dt
import email
import email.policy
import socket
import threading

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


class HeldSmtp:
    """A mail server (aiosmtpd) that holds its answer to the first message it is given until the
    test opens ``gate``, then accepts it, or refuses it for now (451) when ``refuse_first`` is
    set; later messages it accepts at once. ``received`` lists the messages it accepted."""

    def __init__(self):
        self.received = []
        self.first_arrived = threading.Event()
        self.gate = threading.Event()
        self.refuse_first = False
        self._count = 0

    async def handle_DATA(self, server, session, envelope):
        self._count += 1
        if self._count == 1:
            self.first_arrived.set()
            while not self.gate.is_set():  # the server's other connections go on meanwhile
                await asyncio.sleep(0.01)
            if self.refuse_first:
                return "451 Try again later"
        self.received.append(email.message_from_bytes(envelope.original_content or envelope.content,
                                                      policy=email.policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def held_smtp_server(settings, django_mail_patch_dns):
    """A ``HeldSmtp`` on 127.0.0.1 and a free port, with Django's SMTP backend pointed at it (as
    ``smtp_server``); the gate is opened at the end, so no sender is left waiting."""
    from aiosmtpd.controller import Controller

    held = HeldSmtp()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(held, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield held
    finally:
        held.gate.set()
        controller.stop()

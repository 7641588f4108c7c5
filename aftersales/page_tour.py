"""For tests that read every main page (the words people see, the accessibility scan): a service
centre with a worked case to show, and the address of each page.

``tour_data()`` writes the shipped packs, two devices, a centre in Shanghai, a staff member and an
out-of-warranty case in diagnosis with findings, warranty decisions, a damage proposal and a sent
quotation, so that every section of the case pages has something to show. ``PORTAL`` and
``CONSOLE`` name the pages, each with its address (the case number and the quotation token
filled in from the tour).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from aftersales.billing.models import PartPrice
from aftersales.centres.models import ServiceCentre
from aftersales.core import clock
from aftersales.core.testing import device_made, role_user, shipped_packs_loaded
from aftersales.repairs.diagnosis import damage_propose, finding_record, part_decide
from aftersales.repairs.quotations import quotation_draft, quotation_send
from aftersales.repairs.services import Intake, case_book, case_move

STAFF = "tour-staff"  # the staff member's username; the password is role_user's
CONTACT = "wang.fang@example.com"


@dataclass(frozen=True)
class Tour:
    number: str
    token: str
    serial: str


def tour_data() -> Tour:
    now = clock.now()
    shipped_packs_loaded()
    device_made("HD000001", "home-desktop", dt.date(2024, 3, 1), "CN", model="S500SE")
    device_made("HD000002", "home-desktop", dt.date(2020, 1, 10), "CN", model="D700MC")
    centre = ServiceCentre.objects.create(code="sh-01", name_en="Shanghai Xuhui", name_zh="上海徐汇", region="CN",
                                          city="Shanghai", timezone="Asia/Shanghai")
    staff = role_user("staff", username=STAFF, centres=[centre])
    case = case_book(intake=Intake(
        centre="sh-01", kind="carry-in", customer_name="Wang Fang", email=CONTACT, phone="13800000000",
        serial="HD000002", symptoms=["Will not power on", "Fan is loud"], ack_data_loss=True,
        ack_passwords=True, ack_peripherals=True), actor=None, now=now)
    for status in ("received", "diagnosing"):
        case_move(number=case.number, to=status, actor=staff, now=now)
    for position, text, part in ((1, "Loose power connector.", "psu"), (2, "Worn fan bearing.", "fan")):
        finding_record(number=case.number, position=position, text=text, outcome="confirmed", part=part,
                       actor=staff, now=now)
        part_decide(number=case.number, part=part, actor=staff, now=now)
    damage_propose(number=case.number, code="physical-damage", explanation="A dent on the lid.", actor=staff, now=now)
    for part, price in (("fan", "80.00"), ("psu", "320.00")):
        PartPrice.objects.create(part=part, product_line="home-desktop", region="CN", price=Decimal(price),
                                 currency="CNY", valid_from=dt.date(2019, 1, 1))
    quotation = quotation_draft(number=case.number, author=staff, now=now, lines=[
        {"service": "part-replacement", "part": "psu", "text_en": "Replace the power supply.", "text_zh": "更换电源。"},
        {"service": "part-replacement", "part": "fan", "text_en": "Replace the worn fan.", "text_zh": "更换风扇。"}])
    _, token = quotation_send(quotation_id=quotation.pk, actor=staff, now=now)
    return Tour(case.number, token, "HD000001")


# name -> address; "{number}", "{token}" and "{serial}" come from the tour
PORTAL = {
    "portal home": "/",
    "warranty check": "/warranty/",
    "apply": "/repair/apply/",
    "track": "/track/",
    "case": "/track/{number}/",
    "quotation": "/q/{token}/",
    "self-repair": "/self-repair/",
    "self-repair order look-up": "/self-repair/find/",
    "dispute form": "/dispute/",
}
CONSOLE = {
    "console login": "/console/login/",
    "dashboard": "/console/",
    "case queue": "/console/cases/",
    "case page": "/console/cases/{number}/",
    "device page": "/console/devices/{serial}/",
    "prices": "/console/prices/",
    "packs": "/console/packs/",
}


# Pages of the roles other than service-centre staff: role -> {name: address}
CONSOLE_OF_ROLE = {
    "exec-care": {"disputes": "/console/disputes/", "executive care's home": "/console/"},
    "auditor": {"overcharge audit": "/console/audit/", "service dashboard": "/console/dashboard/"},
    "staff": {"self-repair orders": "/self-repair/staff/"},
}


def address(template: str, tour: Tour) -> str:
    return template.format(number=tour.number, token=tour.token, serial=tour.serial)

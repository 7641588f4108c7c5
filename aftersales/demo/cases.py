"""Demo repair cases at several steps, built through the ordinary services (so they carry real
timelines, decisions and quotations). Used by ``aftersales demo-data``; builds nothing when the
demo customer already has cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from aftersales.billing.links import quotation_link
from aftersales.billing.models import PartPrice
from aftersales.repairs.diagnosis import finding_record, part_decide, result_record
from aftersales.repairs.models import Case
from aftersales.repairs.numbers import display
from aftersales.repairs.quotations import quotation_draft, quotation_send
from aftersales.repairs.repair import part_fit
from aftersales.repairs.services import Intake, case_book, case_move
from aftersales.repairs.status import Status, desk_label

DEMO_EMAIL = "demo.customer@example.com"
# The demo cases' steps are a minute apart, starting this long before the demo is loaded: each
# has happened by the time anyone looks (the dashboard counts cases opened up to now), and the
# repair is ready before the dispute about it, filed an hour ago (``demo.programmes``).
STARTED_BEFORE = dt.timedelta(hours=2)


def _intake(centre: str, serial: str, symptoms: list[str], language: str) -> Intake:
    return Intake(centre=centre, kind="carry-in", customer_name="Demo Customer / 演示客户", email=DEMO_EMAIL,
                  phone="13800138000", language=language, serial=serial, symptoms=symptoms, ack_data_loss=True,
                  ack_passwords=True, ack_peripherals=True)


@transaction.atomic
def demo_cases(*, centre: str, staff, in_warranty: str, out_of_warranty: str, now: dt.datetime) -> list[str]:
    """Returns lines to print: each case number, its step, and where to look (when the demo
    customer has cases already: each one's number and the status it is in, as the desk names it)."""
    if Case.objects.filter(email=DEMO_EMAIL).exists():
        return [f"{display(c.number)}  {desk_label(c.status, 'en')}"
                for c in Case.objects.filter(email=DEMO_EMAIL).order_by("created_at")]
    at = lambda minutes: now - STARTED_BEFORE + dt.timedelta(minutes=minutes)  # noqa: E731
    lines = []

    booked = case_book(intake=_intake(centre, in_warranty, ["The screen stays black"], "en"), actor=None, now=at(0))
    lines.append(f"{display(booked.number)}  booked: waiting for the device")

    ready = case_book(intake=_intake(centre, in_warranty, ["It does not switch on", "The fan rattles"], "zh-hans"),
                      actor=None, now=at(1))
    for step in (Status.RECEIVED, Status.DIAGNOSING):
        case_move(number=ready.number, to=step, actor=staff, now=at(2))
    for position in (1, 2):
        finding_record(number=ready.number, position=position, text="电源损坏 / The power supply has failed.",
                       outcome="confirmed", part="psu", actor=staff, now=at(3))
    part_decide(number=ready.number, part="psu", actor=staff, now=at(3))
    case_move(number=ready.number, to=Status.REPAIRING, actor=staff, now=at(4))
    part_fit(number=ready.number, part="psu", actor=staff, now=at(5))
    case_move(number=ready.number, to=Status.QA, actor=staff, now=at(6))
    for position in (1, 2):
        result_record(number=ready.number, stage="qa", name="Power-on and fan test", passed=True,
                      symptom_position=position, actor=staff, now=at(6))
    case_move(number=ready.number, to=Status.READY, actor=staff, now=at(7))
    lines.append(f"{display(ready.number)}  ready to collect, repaired free under warranty (report on the case page)")

    quoted = case_book(intake=_intake(centre, out_of_warranty, ["Clicking noise, then it freezes"], "en"),
                       actor=None, now=at(8))
    for step in (Status.RECEIVED, Status.DIAGNOSING):
        case_move(number=quoted.number, to=step, actor=staff, now=at(9))
    finding_record(number=quoted.number, position=1, text="The hard disk has failing sectors.", outcome="confirmed",
                   part="hdd", actor=staff, now=at(10))
    part_decide(number=quoted.number, part="hdd", actor=staff, now=at(10))
    PartPrice.objects.get_or_create(part="hdd", product_line=quoted.product_line, region=quoted.centre.region,
                                    model="", valid_from=dt.date(2011, 1, 1),
                                    defaults={"price": Decimal("299.00"), "currency": "CNY"})
    q = quotation_draft(number=quoted.number, author=staff, now=at(11), lines=[
        {"service": "part-replacement", "part": "hdd", "text_en": "Replace the failing hard disk; your data "
         "cannot be copied from it.", "text_zh": "更换故障硬盘；旧硬盘上的数据无法复制。"},
        {"service": "os-recovery", "text_en": "Install the factory system on the new disk.",
         "text_zh": "在新硬盘上安装出厂系统。"}])
    _, token = quotation_send(quotation_id=q.pk, actor=staff, now=at(12))
    lines.append(f"{display(quoted.number)}  quotation waiting for an answer: {quotation_link(token)}")
    return lines


@transaction.atomic
def demo_customer_account(*, user, now: dt.datetime) -> int:
    """The demo customer account holds the demo cases: its address is the one they were booked
    with, taken as verified (as signing in by a link to it would make it); returns how many
    cases joined the account."""
    from aftersales.customers.links import cases_attach, email_verify

    user.email = DEMO_EMAIL
    user.save(update_fields=["email"])
    email_verify(user=user, email=DEMO_EMAIL, now=now)
    return cases_attach(user=user)

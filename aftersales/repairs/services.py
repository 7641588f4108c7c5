"""Writes on repair cases: booking, and the one door through which a case changes status.

Every function here is one transaction, takes keyword arguments and the time of the operation
(read once by the caller), and raises a coded ``AppError`` that leaves nothing half-written.
Services of the other steps (diagnosis, quotations, repair, return, storage timers) lock the
case with ``locked_case`` and move it with ``case_transition``. Both refuse a person who works at
other service centres (``accounts.scope``) as if the case did not exist, whatever page or script
calls them; the product's timers act on every case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from aftersales.accounts.roles import Role, require, roles_of, user_can
from aftersales.accounts.scope import may_act_at
from aftersales.centres.models import ServiceCentre
from aftersales.core.errors import AppError, Conflict, Forbidden, NotFound, each_error, raise_all
from aftersales.repairs import events, reactions
from aftersales.repairs.guards import check_guards
from aftersales.repairs.models import Case, Kind, Preference, ReportedSymptom
from aftersales.repairs.numbers import new_case_number
from aftersales.repairs.rules.addresses import address_lines, address_problem
from aftersales.repairs.status import Edge, Status, edge, status_label
from aftersales.warranty.models import Device
from aftersales.warranty.rules.intake import normalise_serial

MAX_SYMPTOMS = 20


class InvalidTransition(Conflict):
    """The case cannot move that way from where it is now (409)."""


def _bad(field: str, code: str, en: str, zh: str) -> AppError:
    return AppError(code, en, zh, field=field)


@dataclass
class Intake:
    centre: str
    kind: str
    customer_name: str
    serial: str
    symptoms: list[str]
    ack_data_loss: bool
    ack_passwords: bool
    ack_peripherals: bool
    email: str = ""
    phone: str = ""
    language: str = "en"
    purchased_on: dt.date | None = None
    operating_system: str = ""
    bios_version: str = ""
    preference: str = Preference.OWN_DEVICE
    return_address: str = ""  # mail-in: where the device goes back to
    extra: dict = field(default_factory=dict)


def _check_intake(intake: Intake) -> tuple[ServiceCentre, Device, list[str]]:
    """The intake's centre, device and reported faults; everything wrong refuses it at once
    (``AppErrors``), each naming its field."""
    found, errors = [], []
    for check in (_check_choices, _check_name, _check_contact, _check_device, _check_symptoms,
                  _check_acknowledged, _check_return_address):
        try:
            found.append(check(intake))
        except AppError as exc:
            errors.append(exc)
    raise_all(errors)
    centre, _name, _contact, device, symptoms, _acks, _address = found
    return centre, device, symptoms


def intake_refusals(intake: Intake) -> list[AppError]:
    """Everything the intake would be refused for, without booking anything."""
    try:
        _check_intake(intake)
    except AppError as exc:
        return each_error(exc)
    return []


def _check_acknowledged(intake: Intake) -> None:
    if not (intake.ack_data_loss and intake.ack_passwords and intake.ack_peripherals):
        raise _bad("acknowledgements", "missing-acknowledgement",
                   "Please confirm all three: back up your data (it may be erased), remove or give us your "
                   "passwords, and remove peripherals and storage media.",
                   "请确认全部三项：备份数据（维修可能清除数据）、移除或提供密码、取出外设和移动存储设备。")


def _check_choices(intake: Intake) -> ServiceCentre:
    centre = ServiceCentre.objects.filter(code=intake.centre).first()
    if centre is None:
        raise _bad("centre", "unknown-centre", f"Unknown service centre {intake.centre!r}.",
                   f"未知服务中心 {intake.centre!r}。")
    if intake.kind not in Kind.values:
        raise _bad("kind", "unknown-kind", "Choose carry-in, mail-in or on-site.", "请选择送修、寄修或上门。")
    if intake.preference not in Preference.values:
        raise _bad("preference", "unknown-preference", "Choose own-device repair or a refurbished swap.",
                   "请选择维修原机或更换翻新机。")
    return centre


def _check_name(intake: Intake) -> None:
    name = (intake.customer_name or "").strip()
    if not name or len(name) > 120:
        raise _bad("customer_name", "missing-field", "Your name is required.", "请填写姓名。")


def _check_contact(intake: Intake) -> None:
    email, phone = (intake.email or "").strip(), (intake.phone or "").strip()
    if not email and not phone:
        raise _bad("email", "missing-contact", "Give an e-mail address or a phone number so we can reach you.",
                   "请留下电子邮箱或电话号码，以便我们联系您。")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise _bad("email", "invalid-email", "That e-mail address is not valid.", "电子邮箱地址无效。")
    if phone and not (6 <= sum(ch.isdigit() for ch in phone) <= 20):
        raise _bad("phone", "invalid-phone", "That phone number is not valid.", "电话号码无效。")


def _check_device(intake: Intake) -> Device:
    serial = normalise_serial(intake.serial)
    device = Device.objects.filter(serial=serial).first()
    if device is None:
        raise AppError("unknown-serial", f"We have no record of serial number {serial}; check the label or call "
                       f"the hotline.", f"未找到序列号 {serial} 的记录；请核对标签或致电服务热线。", field="serial",
                       status=404)
    if intake.purchased_on and intake.purchased_on < device.manufactured_on:
        raise _bad("purchased_on", "date-order", "The purchase date is before the device was made.",
                   "购买日期早于生产日期。")
    return device


def _check_symptoms(intake: Intake) -> list[str]:
    symptoms = [s.strip() for s in intake.symptoms if s and s.strip()]
    if not symptoms:
        raise _bad("symptoms", "missing-symptom", "Describe at least one fault.", "请至少描述一项故障。")
    if len(symptoms) > MAX_SYMPTOMS:
        raise _bad("symptoms", "too-many-symptoms", f"Describe at most {MAX_SYMPTOMS} faults.",
                   f"最多描述 {MAX_SYMPTOMS} 项故障。")
    return symptoms


def _check_return_address(intake: Intake) -> None:
    problem = address_problem(address_lines(intake.return_address)) if intake.return_address.strip() else None
    if problem is not None:
        raise _bad("return_address", *problem)


def _customer_account(actor):
    """The account a case belongs to: the customer who booked it themselves. Staff booking at the
    counter act for the customer and do not become the case's owner."""
    return actor if Role.CUSTOMER in roles_of(actor) else None


@transaction.atomic
def case_book(*, intake: Intake, actor, now: dt.datetime) -> Case:
    """Book a case: a number is issued before the device arrives (seed 002 §5 (3))."""
    require(actor, "case.book")
    centre, device, symptoms = _check_intake(intake)
    if not may_act_at(actor, centre.pk):
        raise Forbidden("not-your-centre", "You book repairs only at the service centres you work at.",
                        "您只能在您所属的服务中心登记维修。", field="centre")
    for _attempt in range(5):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    number=new_case_number(), kind=intake.kind, status=Status.BOOKED, status_changed_at=now,
                    centre=centre, customer=_customer_account(actor),
                    customer_name=intake.customer_name.strip(), email=intake.email.strip(),
                    phone=intake.phone.strip(), language=intake.language,
                    return_address=address_lines(intake.return_address), device=device, serial=device.serial,
                    model=device.model, product_line=device.product_line, purchased_on=intake.purchased_on,
                    operating_system=intake.operating_system.strip(), bios_version=intake.bios_version.strip(),
                    preference=intake.preference, ack_data_loss=True, ack_passwords=True, ack_peripherals=True,
                    created_at=now)
            break
        except IntegrityError:  # a number already taken: draw another
            continue
    else:
        raise AppError("number-exhausted", "Could not issue a case number; try again.", "无法生成维修单号，请重试。",
                       status=503)
    ReportedSymptom.objects.bulk_create(
        ReportedSymptom(case=case, position=i, text=text) for i, text in enumerate(symptoms, start=1))
    reactions.follow(events.booked(case, now, actor), now=now)
    return case


def _unknown_case(number: str) -> NotFound:
    return NotFound("unknown-case", f"No case {number}.", f"没有维修单 {number}。", field="number")


def case_within_reach(case: Case, actor) -> bool:
    """Whether ``actor`` may work on ``case``: people who work at other centres may not (they
    are answered as if the case did not exist). For services that reach a case through another
    row (a quotation, a follow-up, a fitted part) and answer "no such row" when this is False."""
    return may_act_at(actor, case.centre_id)


def refuse_out_of_reach(case: Case, actor) -> None:
    """For services handed a case: answer "no such case" to an actor who works at other centres."""
    if not case_within_reach(case, actor):
        raise _unknown_case(case.number)


def locked_case(number: str, *, actor, statuses=None) -> Case:
    """The case, locked for the rest of the transaction, if ``actor`` may work on it (404 for a
    case of another centre, the same answer as for no case); ``statuses``: the steps at which the
    caller's action can be taken."""
    case = Case.objects.select_for_update().select_related("centre").filter(number=number).first()
    if case is None or not case_within_reach(case, actor):
        raise _unknown_case(number)
    if statuses is not None and case.status not in statuses:
        raise Conflict("wrong-status", "The case is not at a step where this can be done.",
                       "维修单当前所处步骤不能执行此操作。", field="status")
    return case


def _refuse_stale(case: Case, expected: str | None) -> None:
    """Lock the row (again: a no-op for the caller who locked it) and compare its status with the
    instance's and with what the person saw."""
    current = Case.objects.select_for_update().filter(pk=case.pk).values_list("status", flat=True).first()
    seen = expected if expected is not None else case.status
    if current != case.status or current != seen:
        raise Conflict("case-changed",
                       f"Case {case.number} was moved to “{status_label(current, 'en')}” while you were working "
                       f"on it; reload it and try again.",
                       f"维修单 {case.number} 在您操作期间已被改为“{status_label(current, 'zh-hans')}”；请刷新后重试。",
                       field="status")


def _edge(case: Case, to: str, step: str) -> Edge:
    if to not in Status.values:
        raise AppError("unknown-status", "Choose one of the moves the case page offers.",
                       "请选择维修单页面提供的状态变更。", field="status")
    found = edge(case.status, to)
    if found is None:
        raise InvalidTransition("invalid-transition",
                                f"A case that is “{status_label(case.status, 'en')}” cannot move to "
                                f"“{status_label(to, 'en')}”.",
                                f"状态为“{status_label(case.status, 'zh-hans')}”的维修单不能改为"
                                f"“{status_label(to, 'zh-hans')}”。", field="status")
    if found.step != step:
        raise InvalidTransition("move-has-its-own-form",
                                "This move is made by its own step: send the quotation, record the customer's "
                                "answer, ship, hand over at the counter, or let the storage timers run.",
                                "此状态变更须由相应步骤完成：发送报价、登记客户答复、寄出、柜台交还，或由保管计时自动变更。",
                                field="status")
    return found


@transaction.atomic
def case_transition(*, case: Case, to: str, actor, now: dt.datetime, expected: str | None = None,
                    note: str | tuple[str, str] = "", step: str = "") -> Case:
    """Move ``case`` (locked by the caller) to ``to``, and return the same instance, moved.

    The one door for a status change: it refuses an actor who works at other centres
    (``unknown-case``, as ``locked_case`` does), locks the row and refuses a stale instance or a case
    someone else moved since the person looked (``expected``, the status their page showed:
    ``case-changed``); the move must be in ``TRANSITIONS`` (``invalid-transition``) and, when the
    edge belongs to a step (a quotation sent, a shipment …), be made by that ``step``; the actor
    must hold the edge's action (``forbidden``); every guard of the edge must hold. Then it
    writes the status, the event row, and what follows from it (``reactions``)."""
    refuse_out_of_reach(case, actor)
    _refuse_stale(case, expected)
    found = _edge(case, to, step)
    if not user_can(actor, found.action):
        raise Forbidden("forbidden", "Your role may not make this move.", "您的角色无权执行此状态变更。",
                        field="status")
    check_guards(case, found.guards)
    old = case.status
    case.status, case.status_changed_at = to, now
    case.save(update_fields=["status", "status_changed_at"])
    reactions.follow(events.status_changed(case, old, to, now, actor, note), now=now)
    return case


@transaction.atomic
def case_move(*, number: str, to: str, actor, now: dt.datetime, expected: str | None = None,
              note: str = "") -> Case:
    """A plain move (a status button): the case by number, through ``case_transition``."""
    return case_transition(case=locked_case(number, actor=actor), to=to, actor=actor, now=now, expected=expected,
                           note=note.strip())

"""Getting the device back to its owner: shipment or pickup (with any storage fees due), the
advance replacement, follow-ups when a message was unclear, and the customer's own replies."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from aftersales.accounts.roles import require
from aftersales.billing.charges import charge_due, storage_leg
from aftersales.billing.models import ChargeKind
from aftersales.core.errors import AppError, Conflict, NotFound
from aftersales.repairs import events, reactions
from aftersales.repairs.models import AdvanceShipment, Case, CustomerMessage, FollowUp, Kind, Preference, Shipment
from aftersales.repairs.services import case_transition, case_within_reach, locked_case
from aftersales.repairs.status import HELD, Status
from aftersales.repairs.storage import storage_fees
from aftersales.warranty.packs import pack_name

ADVANCE_RETURN_DAYS = 14
MAX_MESSAGE = 20_000  # a generous ceiling against abuse, not a limit on what people need to say


def _text(value: str, field: str, en: str, zh: str, limit: int = 200) -> str:
    value = (value or "").strip()
    if not value or len(value) > limit:
        raise AppError("missing-field", en, zh, field=field)
    return value


def _charge_storage(case: Case, now: dt.datetime) -> None:
    fees = storage_fees(case, now=now)
    if fees is not None and fees.days > 0:
        charge_due(case=case, kind=ChargeKind.STORAGE, legs=[storage_leg(case.number, fees.total.amount)],
                   currency=fees.total.currency, now=now,
                   text_en=f"Storage: {fees.days} {'day' if fees.days == 1 else 'days'} "
                           f"at {fees.daily_fee.amount} a day, from {fees.first_fee_day} "
                           f"({pack_name(fees.pack, zh=False)}).",
                   text_zh=f"保管费：自 {fees.first_fee_day} 起 {fees.days} 天，每天 {fees.daily_fee.amount}"
                           f"（{pack_name(fees.pack, zh=True)}）。")


@transaction.atomic
def case_ship(*, number: str, carrier: str, tracking: str, actor, now: dt.datetime) -> Shipment:
    require(actor, "case.ship")
    case = locked_case(number, actor=actor, statuses=HELD)
    carrier = _text(carrier, "carrier", "Name the carrier.", "请填写承运商。", 64)
    tracking = _text(tracking, "tracking", "Give the tracking number.", "请填写运单号。", 64)
    case = case_transition(case=case, to=Status.SHIPPED, actor=actor, now=now, step="shipment")
    _charge_storage(case, now)
    shipment = Shipment.objects.create(case=case, carrier=carrier, tracking=tracking, shipped_at=now, shipped_by=actor)
    reactions.follow(events.shipment(case, now, actor, carrier, tracking), now=now)
    return shipment


@transaction.atomic
def case_delivered(*, number: str, actor, now: dt.datetime) -> Case:
    require(actor, "case.ship")
    case = locked_case(number, actor=actor, statuses={Status.SHIPPED})
    Shipment.objects.filter(case=case, delivered_at__isnull=True).update(delivered_at=now)
    return case_transition(case=case, to=Status.COLLECTED, actor=actor, now=now, step="delivery",
                           note=("Delivered.", "已送达。"))


@transaction.atomic
def case_collect(*, number: str, actor, now: dt.datetime) -> Case:
    """The owner picks the device up at the counter; storage fees, if any, are charged now."""
    require(actor, "case.ship")
    case = locked_case(number, actor=actor, statuses=HELD)
    case = case_transition(case=case, to=Status.COLLECTED, actor=actor, now=now, step="pickup",
                           note=("Collected at the counter.", "已在柜台取回。"))
    _charge_storage(case, now)
    return case


@transaction.atomic
def case_hand_over(*, number: str, identity_checked: bool, returned_complete: bool, actor,
                   now: dt.datetime) -> Case:
    """Hand the device over at the counter once the member of staff confirms both checks: the
    collector's identity, and the device returned with everything that came in with it. A
    hand-over cannot be undone, so it is never made by one stray click."""
    require(actor, "case.ship")
    if not identity_checked:
        raise AppError("handover-not-confirmed", "Confirm that you checked the collector's identity.",
                       "请确认已核实取件人身份。", field="identity_checked")
    if not returned_complete:
        raise AppError("handover-not-confirmed", "Confirm that the device and its accessories were handed back.",
                       "请确认产品及其配件均已交还。", field="returned_complete")
    case = locked_case(number, actor=actor, statuses=HELD)
    case = case_transition(case=case, to=Status.COLLECTED, actor=actor, now=now, step="pickup",
                           note=("Collected at the counter; identity checked, device and accessories handed back.",
                                 "已在柜台取回；已核实取件人身份，产品及配件均已交还。"))
    _charge_storage(case, now)
    return case


@transaction.atomic
def advance_ship(*, number: str, replacement_serial: str, carrier: str, tracking: str, actor,
                 now: dt.datetime) -> AdvanceShipment:
    """Cross-ship a refurbished replacement before the faulty device arrives (mail-in cases whose
    owner chose a swap)."""
    require(actor, "case.ship")
    case = locked_case(number, actor=actor, statuses={Status.BOOKED})
    if case.kind != Kind.MAIL_IN or case.preference != Preference.REFURBISHED:
        raise Conflict("advance-not-offered",
                       "A replacement is sent ahead only for mail-in cases whose owner chose a refurbished swap.",
                       "仅对选择更换翻新机的寄修单提前寄出替换机。", field="kind")
    if AdvanceShipment.objects.filter(case=case).exists():
        raise Conflict("already-sent", "A replacement was already sent for this case.", "该维修单已寄出替换机。")
    advance = AdvanceShipment.objects.create(
        case=case, replacement_serial=_text(replacement_serial, "replacement_serial", "Give the replacement's serial.",
                                            "请填写替换机序列号。", 32),
        carrier=_text(carrier, "carrier", "Name the carrier.", "请填写承运商。", 64),
        tracking=_text(tracking, "tracking", "Give the tracking number.", "请填写运单号。", 64),
        shipped_at=now, return_by=case.day(now) + dt.timedelta(days=ADVANCE_RETURN_DAYS), shipped_by=actor)
    reactions.follow(events.advance_shipped(case, now, actor, advance), now=now)
    return advance


@transaction.atomic
def follow_up_open(*, case: Case, about: str, message: str, now: dt.datetime) -> FollowUp:
    """"I don't understand this": the customer asks; a person answers (seed 000 item 1)."""
    item = FollowUp.objects.create(case=case, about=about[:64], message=(message or "").strip()[:MAX_MESSAGE],
                                   opened_at=now)
    events.follow_up_opened(case, now, item)
    return item


@transaction.atomic
def follow_up_resolve(*, follow_up_id: int, resolution: str, actor, now: dt.datetime) -> FollowUp:
    require(actor, "follow-up.resolve")
    item = FollowUp.objects.select_for_update().select_related("case").filter(pk=follow_up_id).first()
    if item is None or not case_within_reach(item.case, actor):
        raise NotFound("unknown-follow-up", "No such follow-up.", "没有该跟进事项。")
    if item.resolved_at is not None:
        raise Conflict("already-resolved", "This follow-up is already resolved.", "该跟进事项已处理。")
    item.resolution = _text(resolution, "resolution", "Say how you explained it.", "请说明如何向客户解释。", MAX_MESSAGE)
    item.resolved_at, item.resolved_by = now, actor
    item.save()
    reactions.follow(events.follow_up_answered(item.case, now, actor, item), now=now)
    return item


@transaction.atomic
def customer_message_add(*, case: Case, text: str, now: dt.datetime) -> CustomerMessage:
    text = (text or "").strip()
    if not text:
        raise AppError("missing-field", "Write your message.", "请填写留言内容。", field="text")
    if len(text) > MAX_MESSAGE:
        raise AppError("message-too-long", f"Please keep a message under {MAX_MESSAGE} characters, or attach a file.",
                       f"单条留言请少于 {MAX_MESSAGE} 个字符，或以附件形式发送。", field="text")
    message = CustomerMessage.objects.create(case=case, text=text, at=now)
    events.customer_message(case, now, message)
    return message

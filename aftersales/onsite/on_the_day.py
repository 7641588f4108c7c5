"""The visit on the day: the trip fee agreed where the terms leave it to agreement, check-in at
the site with photos, and check-out with the customer's confirmation.

Checking in moves each case of the visit from booked to diagnosing, and checking out moves each
case whose work is done (diagnosing, or re-tested after a repair) to returned — both through the
one door, so the guards of any return hold on site too: a finding for every reported fault, the
customer's answer to a quotation sent, a re-test of every repaired fault. A case whose repair
goes on (parts to order, a quotation unanswered) stays open; the visit still ends. The trip fee
becomes a charge on the visit's first case: one fee per visit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from aftersales.accounts.roles import require
from aftersales.accounts.scope import may_act_at
from aftersales.billing.charges import charge_due, trip_leg
from aftersales.billing.models import ChargeKind
from aftersales.core.errors import AppError, Conflict, NotFound
from aftersales.core.money import CURRENCY_NAMES_ZH, parse_amount
from aftersales.evidence.models import EvidenceKind
from aftersales.evidence.sniff import IMAGE
from aftersales.onsite.models import Visit, VisitStatus
from aftersales.repairs.evidence import case_evidence_add
from aftersales.repairs.models import Case
from aftersales.repairs.services import case_transition
from aftersales.repairs.status import Status

DONE_ON_SITE = (Status.DIAGNOSING, Status.QA)


def _visit(public_id, status: str, actor) -> Visit:
    """The visit at ``status``, if ``actor`` may act at its centre (a visit of another centre
    answers as if it did not exist)."""
    visit = Visit.objects.select_for_update().select_related("centre").filter(public_id=public_id).first()
    if visit is None or not may_act_at(actor, visit.centre_id):
        raise NotFound("unknown-visit", "No such visit.", "没有这次上门记录。")
    if visit.status != status:
        raise Conflict("visit-wrong-step", "The visit is not at a step where this can be done.",
                       "这次上门当前所处步骤不能执行此操作。")
    return visit


def _cases(visit: Visit) -> list[Case]:
    ids = list(visit.lines.values_list("case_id", flat=True))
    return list(Case.objects.select_for_update().select_related("centre").filter(pk__in=ids).order_by("pk"))


def _photos(cases: list[Case], photos, what: tuple[str, str], actor, now: dt.datetime) -> None:
    if not photos:
        raise AppError("photo-required", f"Add at least one photo {what[0]}.", f"请至少添加一张{what[1]}的照片。",
                       field="photos")
    for upload in photos:
        for case in cases:
            upload.seek(0)
            case_evidence_add(case=case, kind=EvidenceKind.VISIT, upload=upload, actor=actor, now=now,
                              description=what[0], customer_visible=True, media=frozenset({IMAGE}))


@transaction.atomic
def visit_fee_agree(*, public_id, amount, actor, now: dt.datetime) -> Visit:
    """The trip fee a person agreed with the customer, where the terms leave it to agreement."""
    require(actor, "visit.manage")
    visit = _visit(public_id, VisitStatus.BOOKED, actor)
    if visit.trip_fee is not None and visit.fee_agreed_by_id is None:
        raise Conflict("fee-set-by-terms", "This visit's trip fee is set by the published fees.",
                       "这次上门的上门费按公布的收费标准收取，无需协商。")
    fee = parse_amount(amount, field="amount", what=("The trip fee", "上门费"))
    visit.trip_fee, visit.fee_agreed_by = fee, actor
    currency_zh = CURRENCY_NAMES_ZH[visit.currency]
    visit.fee_explanation = {**visit.fee_explanation, "en": f"Trip fee agreed with you before the visit: {fee} "
                                                            f"{visit.currency}.",
                             "zh": f"上门前与您协商确定的上门费：{fee} {currency_zh}。"}
    visit.save(update_fields=["trip_fee", "fee_agreed_by", "fee_explanation"])
    return visit


@transaction.atomic
def visit_check_in(*, public_id, photos, actor, now: dt.datetime) -> Visit:
    require(actor, "visit.work")
    visit = _visit(public_id, VisitStatus.BOOKED, actor)
    if visit.trip_fee is None:
        raise Conflict("fee-not-agreed", "Agree the trip fee with the customer before the visit.",
                       "请在上门前与客户协商确定上门费。")
    cases = _cases(visit)
    for case in cases:
        case_transition(case=case, to=Status.DIAGNOSING, actor=actor, now=now, step="visit-check-in",
                        note=("The technician has arrived.", "工程师已到达现场。"))
    _photos(cases, photos, ("on arrival", "到达现场时"), actor, now)
    visit.status, visit.checked_in_at = VisitStatus.ON_SITE, now
    visit.save(update_fields=["status", "checked_in_at"])
    return visit


@transaction.atomic
def visit_check_out(*, public_id, confirmed_by: str, photos, actor, now: dt.datetime) -> Visit:
    """End the visit: ``confirmed_by`` is the name the customer signed or confirmed with."""
    require(actor, "visit.work")
    visit = _visit(public_id, VisitStatus.ON_SITE, actor)
    confirmed_by = (confirmed_by or "").strip()
    if not confirmed_by or len(confirmed_by) > 120:
        raise AppError("confirmation-required", "Ask the customer to confirm the visit with their name.",
                       "请客户签名确认本次上门服务。", field="confirmed_by")
    cases = _cases(visit)
    _photos(cases, photos, ("when leaving", "离开现场时"), actor, now)
    for case in cases:
        if case.status in DONE_ON_SITE:
            case_transition(case=case, to=Status.COLLECTED, actor=actor, now=now, step="visit-check-out",
                            note=(f"Visit confirmed by {confirmed_by}.", f"客户 {confirmed_by} 已确认本次上门服务。"))
    if visit.trip_fee and visit.trip_fee > Decimal(0):
        charge_due(case=cases[0], kind=ChargeKind.TRIP, legs=[trip_leg(visit.public_id, visit.trip_fee)],
                   currency=visit.currency, now=now, text_en=visit.fee_explanation.get("en", "Trip fee"),
                   text_zh=visit.fee_explanation.get("zh", "上门费"))
    visit.status, visit.checked_out_at, visit.confirmed_by = VisitStatus.DONE, now, confirmed_by
    visit.save(update_fields=["status", "checked_out_at", "confirmed_by"])
    return visit

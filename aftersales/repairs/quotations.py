"""Quotations: drafted by staff from the fee schedule and the price list, checked against the
fairness rules, verified by a second person when they deviate, sent with a signed link, and
answered by the customer line by line.

Drafting lives in ``repairs.quotation_drafts`` (``quotation_draft`` is imported here, beside the other
quotation services). An answer that accepts a line while declining the line it needs is refused
before anything is written (``rules.quotation.answer_refusal``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from aftersales.accounts.roles import require
from aftersales.billing.links import quotation_from_token, quotation_token
from aftersales.billing.charges import charge_due, inspection_leg, line_legs
from aftersales.billing.models import ChargeKind, LineDecision, Quotation, QuotationLine, QuotationStatus
from aftersales.billing.rules.pricing import inspection_fee, published_schedule
from aftersales.billing.rules.quotation import AnsweredLine, answer_refusal
from aftersales.core.errors import AppError, Conflict, Forbidden, NotFound
from aftersales.repairs import events, reactions
from aftersales.repairs.models import Case, PartDecision
from aftersales.repairs.quotation_drafts import quotation_draft  # noqa: F401  (one place for the quotation services)
from aftersales.repairs.services import case_transition, case_within_reach, locked_case
from aftersales.repairs.status import Status
from aftersales.warranty.packs import packs_in_force

RESPOND_DAYS = 14  # a reasonable, stated window; reminders never threaten (seed 000)


def _locked_quotation(quotation_id: int, actor) -> Quotation:
    q = Quotation.objects.select_for_update().select_related("case").filter(pk=quotation_id).first()
    if q is None or not case_within_reach(q.case, actor):
        raise NotFound("unknown-quotation", "No such quotation.", "没有该报价。")
    return q


@transaction.atomic
def quotation_verify(*, quotation_id: int, approve: bool, note: str, verifier, now: dt.datetime) -> Quotation:
    require(verifier, "quote.verify")
    q = _locked_quotation(quotation_id, verifier)
    if q.author_id == getattr(verifier, "pk", None):
        raise Forbidden("own-quotation", "A quotation is verified by someone other than its author.",
                        "报价须由作者以外的人员复核。")
    if q.status != QuotationStatus.AWAITING_VERIFICATION:
        raise Conflict("not-awaiting-verification", "This quotation is not waiting for verification.",
                       "该报价不在待复核状态。")
    if not (note or "").strip():
        raise AppError("missing-field", "Say why you approve or reject it.", "请说明通过或驳回的理由。", field="note")
    q.status = QuotationStatus.READY if approve else QuotationStatus.WITHDRAWN
    q.verifier, q.verified_at, q.verification_note = verifier, now, note.strip()
    q.save()
    return q


@transaction.atomic
def quotation_send(*, quotation_id: int, actor, now: dt.datetime) -> tuple[Quotation, str]:
    require(actor, "quote.author")
    q = _locked_quotation(quotation_id, actor)
    if q.status != QuotationStatus.READY:
        raise Conflict("not-ready", "Only a verified, ready quotation can be sent.", "只有已就绪的报价才能发送。")
    case = case_transition(case=locked_case(q.case.number, actor=actor), to=Status.AWAITING_CUSTOMER, actor=actor, now=now,
                           step="quotation")
    q.status, q.sent_at = QuotationStatus.SENT, now
    q.respond_by = case.day(now) + dt.timedelta(days=RESPOND_DAYS)
    q.save()
    fee = _inspection_fee(case, case.day(now))
    reactions.follow(events.quotation_sent(case, now, actor, q, inspection_fee=fee), now=now)
    return q, quotation_token(q)


@transaction.atomic
def quotation_answer(*, token: str, answers: dict[int, str], now: dt.datetime) -> Quotation:
    """The customer answers through the signed link they were sent, while it is open
    (``billing.links``: not yet answered, not replaced, not out of time)."""
    q = _locked_quotation(quotation_from_token(token, now=now).pk, None)
    return _answer(q, answers, now=now, actor=None, channel="link")


@transaction.atomic
def quotation_answer_record(*, quotation_id: int, answers: dict[int, str], channel: str, actor,
                            now: dt.datetime) -> Quotation:
    """Staff take down the answer the customer gave by phone or at the counter; the timeline says
    who took it down, when, and how the customer answered."""
    require(actor, "quote.record-answer")
    if channel not in ("phone", "counter"):
        raise AppError("unknown-channel", "Say whether the customer answered by phone or at the counter.",
                       "请说明客户是通过电话还是在柜台答复的。", field="channel")
    return _answer(_locked_quotation(quotation_id, actor), answers, now=now, actor=actor, channel=channel)


def _answer(q: Quotation, answers: dict[int, str], *, now: dt.datetime, actor, channel: str) -> Quotation:
    """The customer accepts or declines each paid line. Covered lines are done free whatever the
    answer: if anything is to be done, the repair goes ahead; if nothing is, the device goes back
    reassembled, with only the inspection fee when nothing was covered."""
    _refuse_unanswerable(q)
    case = locked_case(q.case.number, actor=actor)
    lines = list(q.lines.all())
    paid = [line for line in lines if not line.covered]
    _refuse_incomplete(lines, paid, answers)
    for line in paid:
        line.decision = LineDecision.ACCEPTED if answers[line.position] == "accept" else LineDecision.DECLINED
        line.save(update_fields=["decision"])
    q.status, q.answered_at = QuotationStatus.ANSWERED, now
    q.save(update_fields=["status", "answered_at"])
    accepted = [line for line in paid if line.decision == LineDecision.ACCEPTED]
    events.quotation_answered(case, now, actor, q, accepted=len(accepted), declined=len(paid) - len(accepted),
                              channel=channel)
    if accepted or any(line.covered for line in lines):
        charge_due(case=case, kind=ChargeKind.REPAIR, legs=line_legs(accepted), currency=q.currency, quotation=q,
                   now=now, text_en=f"Repair lines you accepted ({len(accepted)}).",
                   text_zh=f"您接受的维修项目（{len(accepted)} 项）。")
        case_transition(case=case, to=Status.REPAIRING, actor=actor, now=now, step="answer",
                        note=("You answered the quotation; repair goes ahead for the lines you accepted and any "
                              "covered by the warranty.", "您已答复报价；我们将维修您接受的项目以及保修范围内的项目。"))
        return q
    covered_anything = PartDecision.objects.filter(case=case, covered=True).exists()
    fee = Decimal(0) if covered_anything else _inspection_fee(case, case.day(now))
    charge_due(case=case, kind=ChargeKind.INSPECTION, legs=[inspection_leg(q, fee)], currency=q.currency, quotation=q,
               now=now, text_en="Inspection fee: the device was opened and diagnosed, and you declined the repair.",
               text_zh="检测费：产品已拆机检测，您选择不维修。")
    case_transition(case=case, to=Status.READY, actor=actor, now=now, step="answer",
                    note=("You declined the repair; the device is reassembled and ready to return.",
                          "您选择不维修；产品已重新装好，可以返还。"))
    return q


def _refuse_unanswerable(q: Quotation) -> None:
    if q.status == QuotationStatus.ANSWERED:
        raise Conflict("already-answered", "This quotation has already been answered.", "该报价已答复。")
    if q.status != QuotationStatus.SENT:
        raise Conflict("quotation-not-sent", "This quotation has not been sent to the customer.",
                       "该报价尚未发送给客户。")


def _refuse_incomplete(lines: list[QuotationLine], paid: list[QuotationLine], answers: dict[int, str]) -> None:
    """Every paid line answered, and no line accepted without the line it needs; checked before
    anything is written."""
    missing = [line.position for line in paid if answers.get(line.position) not in ("accept", "decline")]
    if missing:
        numbers = ", ".join(map(str, missing))
        raise AppError("answer-every-line", f"Please accept or decline every line with a price (lines {numbers}).",
                       f"请对每一项收费内容选择接受或拒绝（第 {numbers} 行）。", field="answers")
    _check_needs(lines, answers)


def _check_needs(lines: list[QuotationLine], answers: dict[int, str]) -> None:
    """Refuse, before anything is written, an answer accepting a line while declining the line it needs."""
    refusal = answer_refusal([AnsweredLine(line.position, line.text_en, line.text_zh, line.covered, line.needs)
                              for line in lines], answers)
    if refusal is not None:
        raise AppError(refusal.code, refusal.en, refusal.zh, field="answers")


def _inspection_fee(case: Case, day: dt.date) -> Decimal:
    """The published inspection fee for the device's region; none where no schedule is published
    (a fee nobody published is never charged)."""
    region = case.device.sold_in
    pack = packs_in_force().select(case.product_line, region, day)
    schedule = published_schedule(pack, region) if pack is not None else None
    return inspection_fee(schedule, case.product_line).amount if schedule is not None else Decimal(0)

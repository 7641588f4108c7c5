"""Quotations: drafted by staff from the fee schedule and the price list, checked against the
fairness rules, verified by a second person when they deviate, sent with a signed link, and
answered by the customer line by line.

Drafting lives in ``billing.drafting`` (``quotation_draft`` is imported here, beside the other
quotation services). An answer that accepts a line while declining the line it needs is refused
before anything is written (``rules.quotation.answer_refusal``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.db import transaction

from aftersales.billing.drafting import quotation_draft  # noqa: F401  (one place for the quotation services)
from aftersales.billing.models import Charge, ChargeKind, LineDecision, Quotation, QuotationLine, QuotationStatus
from aftersales.billing.rules.pricing import inspection_fee, published_schedule
from aftersales.billing.rules.quotation import AnsweredLine, answer_refusal
from aftersales.core.errors import AppError, Conflict, Forbidden, NotFound
from aftersales.repairs import events
from aftersales.repairs.diagnosis import require
from aftersales.repairs.models import Case, PartDecision
from aftersales.repairs.services import case_transition
from aftersales.repairs.status import Status
from aftersales.warranty.decisions import today_for
from aftersales.warranty.packs import packs_in_force

RESPOND_DAYS = 14  # a reasonable, stated window; reminders never threaten (seed 000)
TOKEN_SALT = "aftersales.quotation"
TOKEN_MAX_AGE = 60 * 60 * 24 * 90


def _locked_quotation(quotation_id: int) -> Quotation:
    q = Quotation.objects.select_for_update().select_related("case").filter(pk=quotation_id).first()
    if q is None:
        raise NotFound("unknown-quotation", "No such quotation.", "没有该报价。")
    return q


@transaction.atomic
def quotation_verify(*, quotation_id: int, approve: bool, note: str, verifier, now: dt.datetime) -> Quotation:
    require(verifier, "quote.verify")
    q = _locked_quotation(quotation_id)
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


def quotation_token(q: Quotation) -> str:
    return signing.dumps({"q": q.pk, "case": q.case.number}, salt=TOKEN_SALT, compress=True)


def quotation_from_token(token: str) -> Quotation:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise AppError("link-expired", "This link has expired; look up your case with its number instead.",
                       "该链接已过期；请使用维修单号查询。", status=410)
    except signing.BadSignature:
        raise AppError("invalid-link", "This link is not valid.", "该链接无效。", status=404)
    q = Quotation.objects.select_related("case").filter(pk=data.get("q"), case__number=data.get("case")).first()
    if q is None:
        raise AppError("invalid-link", "This link is not valid.", "该链接无效。", status=404)
    return q


@transaction.atomic
def quotation_send(*, quotation_id: int, actor, now: dt.datetime) -> tuple[Quotation, str]:
    require(actor, "quote.author")
    q = _locked_quotation(quotation_id)
    if q.status != QuotationStatus.READY:
        raise Conflict("not-ready", "Only a verified, ready quotation can be sent.", "只有已就绪的报价才能发送。")
    case_transition(number=q.case.number, to=Status.AWAITING_CUSTOMER, actor=actor, now=now)
    q.status, q.sent_at = QuotationStatus.SENT, now
    q.respond_by = today_for(q.case.centre.region) + dt.timedelta(days=RESPOND_DAYS)
    q.save()
    events.quotation_sent(q.case, now, actor, q)
    token = quotation_token(q)
    _tell_customer(q, token, now)
    return q, token


def quotation_link(token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('portal:quotation', args=[token])}"


def _tell_customer(q: Quotation, token: str, now: dt.datetime) -> None:
    from aftersales.core.money import Money
    from aftersales.notifications.compose import Words
    from aftersales.notifications.services import notify

    lines = [{"text": Words(line.text_en, line.text_zh), "price": Money(line.price, q.currency),
              "covered": line.covered} for line in q.lines.all()]
    fee = _inspection_fee(q.case)
    notify(case=q.case, template="quotation-sent", key=f"{q.case.number}:quotation-{q.pk}", now=now,
           context={"lines": lines, "link": quotation_link(token), "respond_by": q.respond_by,
                    "explanation": q.explanation,
                    "inspection_fee": Money(fee, q.currency) if fee else None})


@transaction.atomic
def quotation_answer(*, token: str, answers: dict[int, str], now: dt.datetime) -> Quotation:
    """The customer accepts or declines each paid line. Covered lines are done free whatever the
    answer. Declining every paid line charges only the inspection fee (out of warranty) and
    sends the device back reassembled."""
    q = _locked_quotation(quotation_from_token(token).pk)
    if q.status != QuotationStatus.SENT:
        raise Conflict("already-answered", "This quotation has already been answered.", "该报价已答复。")
    lines = list(q.lines.all())
    paid = [line for line in lines if not line.covered]
    missing = [line.position for line in paid if answers.get(line.position) not in ("accept", "decline")]
    if missing:
        raise AppError("answer-every-line", "Please accept or decline every line with a price "
                       f"(lines {', '.join(map(str, missing))}).",
                       f"请对每一项收费内容选择接受或拒绝（第 {', '.join(map(str, missing))} 行）。", field="answers")
    _check_needs(lines, answers)
    for line in paid:
        line.decision = LineDecision.ACCEPTED if answers[line.position] == "accept" else LineDecision.DECLINED
        line.save(update_fields=["decision"])
    q.status, q.answered_at = QuotationStatus.ANSWERED, now
    q.save(update_fields=["status", "answered_at"])
    accepted = [line for line in paid if line.decision == LineDecision.ACCEPTED]
    case = q.case
    events.quotation_answered(case, now, q, len(accepted), len(paid) - len(accepted))
    if accepted:
        total = sum((line.price for line in accepted), Decimal(0))
        Charge.objects.create(case=case, kind=ChargeKind.REPAIR, amount=total, currency=q.currency, quotation=q,
                              created_at=now, text_en=f"Repair lines you accepted ({len(accepted)}).",
                              text_zh=f"您接受的维修项目（{len(accepted)} 项）。")
    if accepted or any(line.covered for line in lines):
        case_transition(number=case.number, to=Status.REPAIRING, actor=None, now=now,
                        note="You answered the quotation; repair goes ahead for the lines you accepted and any "
                             "covered by the warranty.")
    else:
        covered_anything = PartDecision.objects.filter(case=case, covered=True).exists()
        fee = Decimal(0) if covered_anything else _inspection_fee(case)
        if fee > 0:
            Charge.objects.create(case=case, kind=ChargeKind.INSPECTION, amount=fee, currency=q.currency,
                                  quotation=q, created_at=now,
                                  text_en="Inspection fee: the device was opened and diagnosed, and you declined "
                                          "the repair.",
                                  text_zh="检测费：产品已拆机检测，您选择不维修。")
        case_transition(number=case.number, to=Status.READY, actor=None, now=now,
                        note="You declined the repair; the device is reassembled and ready to return.")
    return q


def _check_needs(lines: list[QuotationLine], answers: dict[int, str]) -> None:
    """Refuse, before anything is written, an answer accepting a line while declining the line it needs."""
    refusal = answer_refusal([AnsweredLine(line.position, line.text_en, line.text_zh, line.covered, line.needs)
                              for line in lines], answers)
    if refusal is not None:
        raise AppError(refusal.code, refusal.en, refusal.zh, field="answers")


def _inspection_fee(case: Case) -> Decimal:
    """The published inspection fee for the device's region; none where no schedule is published
    (a fee nobody published is never charged)."""
    region = case.device.sold_in
    pack = packs_in_force().select(case.product_line, region, today_for(case.centre.region))
    schedule = published_schedule(pack, region) if pack is not None else None
    return inspection_fee(schedule, case.product_line).amount if schedule is not None else Decimal(0)

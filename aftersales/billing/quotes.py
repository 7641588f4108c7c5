"""Quotations: drafted by staff from the fee schedule and the price list, checked against the
fairness rules, verified by a second person when they deviate, sent with a signed link, and
answered by the customer line by line.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q

from aftersales.billing.models import (
    Charge, ChargeKind, FairMarketValue, LineDecision, PartPrice, Quotation, QuotationLine, QuotationStatus,
)
from aftersales.billing.rules.pricing import INSPECTION
from aftersales.billing.rules.quotation import UNIT_REPLACEMENT, QuoteLine, review
from aftersales.policy.vocabulary import SERVICES
from aftersales.core.errors import AppError, Conflict, Forbidden, NotFound
from aftersales.accounts.roles import require
from aftersales.billing.links import quotation_from_token, quotation_token
from aftersales.repairs import events, reactions
from aftersales.repairs.models import Case, PartDecision
from aftersales.repairs.services import case_transition, locked_case
from aftersales.repairs.status import Status
from aftersales.warranty.packs import packs_in_force
from aftersales.policy.vocabulary import PARTS

RESPOND_DAYS = 14  # a reasonable, stated window; reminders never threaten (seed 000)
LINE_SERVICES = set(SERVICES) | {UNIT_REPLACEMENT}


def _money(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, float):
        raise AppError("invalid-amount", f"{field} must be written as a decimal, not a float.",
                       f"{field} 必须写成十进制金额。", field=field)
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise AppError("invalid-amount", f"{field} is not an amount.", f"{field} 不是有效金额。", field=field)
    if not amount.is_finite() or amount < 0:
        raise AppError("invalid-amount", f"{field} must be zero or more.", f"{field} 不能为负。", field=field)
    return amount.quantize(Decimal("0.01"))


def list_part_price(case: Case, part: str, day: dt.date) -> Decimal | None:
    row = (PartPrice.objects.filter(part=part, product_line=case.product_line, region=case.centre.region,
                                    valid_from__lte=day)
           .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
           .filter(Q(model=case.model) | Q(model=""))
           .order_by("-model", "-valid_from").first())
    return row.price if row else None


def fair_market_value(case: Case, day: dt.date) -> Decimal | None:
    row = (FairMarketValue.objects.filter(model=case.model, region=case.centre.region, valid_from__lte=day)
           .order_by("-valid_from").first())
    return row.value if row else None


def _line(case: Case, n: int, raw: dict, schedule, day: dt.date, covered_parts: set[str]) -> tuple[QuoteLine, dict]:
    where = f"lines[{n}]"
    service, part = raw.get("service"), raw.get("part") or ""
    if service not in LINE_SERVICES:
        raise AppError("unknown-service", f"{where}: unknown service {service!r}.", f"{where}：未知服务 {service!r}。",
                       field=f"{where}.service")
    if part and part not in PARTS:
        raise AppError("unknown-part", f"{where}: unknown part {part!r}.", f"{where}：未知部件 {part!r}。",
                       field=f"{where}.part")
    text_en, text_zh = (raw.get("text_en") or "").strip(), (raw.get("text_zh") or "").strip()
    if not text_en or not text_zh:
        raise AppError("missing-field", f"{where}: explain the line in plain words, in English and Chinese.",
                       f"{where}：请用通俗的中英文说明这一行。", field=f"{where}.text")
    list_labour = None
    if schedule is not None and service in SERVICES:
        external = service == "part-replacement" and part in schedule.external_parts
        list_labour = Decimal(0) if external else schedule.labour[case.product_line][service]
    list_parts = list_part_price(case, part, day) if part and service == "part-replacement" else None
    labour = _money(raw.get("labour"), f"{where}.labour")
    parts = _money(raw.get("parts"), f"{where}.parts")
    labour = list_labour if labour is None else labour
    parts = (list_parts if parts is None else parts) if service == "part-replacement" else (parts or Decimal(0))
    if labour is None or parts is None:
        raise AppError("missing-price", f"{where}: no published price; give the labour and parts amounts.",
                       f"{where}：没有公布的价格，请填写人工费和备件费。", field=f"{where}.labour")
    covered = part in covered_parts
    if covered:
        labour = parts = Decimal(0)
    line = QuoteLine(service=service, part=part, labour=labour, parts=parts, list_labour=list_labour,
                     list_parts=list_parts, covered=covered, cosmetic=bool(raw.get("cosmetic")),
                     affects_function=bool(raw.get("affects_function")),
                     customer_requested=bool(raw.get("customer_requested")))
    return line, {"text_en": text_en, "text_zh": text_zh}


@transaction.atomic
def quotation_draft(*, number: str, lines: list[dict], author, now: dt.datetime, explanation: str = "",
                    unit_infeasible_reason: str = "") -> Quotation:
    require(author, "quote.author")
    case = locked_case(number, statuses={Status.DIAGNOSING})
    day = case.day(now)
    pack = packs_in_force().select(case.product_line, case.device.sold_in, day)
    schedule = pack.fees if pack else None
    currency = pack.currency_for(case.device.sold_in) if pack else "CNY"
    covered_parts = set(PartDecision.objects.filter(case=case, covered=True).values_list("part", flat=True))
    built = [_line(case, n, raw, schedule, day, covered_parts) for n, raw in enumerate(lines, start=1)]
    fmv = fair_market_value(case, day)
    result = review([b[0] for b in built], fair_market_value=fmv, unit_infeasible_reason=unit_infeasible_reason,
                    explanation=explanation)
    if result.refusals:
        first = result.refusals[0]
        raise AppError(first.code, " ".join(f.en for f in result.refusals), "".join(f.zh for f in result.refusals),
                       field=f"lines[{first.line}]" if first.line else "lines")
    quotation = Quotation.objects.create(
        case=case, currency=currency, fair_market_value=fmv, explanation=explanation.strip(),
        unit_infeasible_reason=unit_infeasible_reason.strip(), author=author, created_at=now,
        status=QuotationStatus.AWAITING_VERIFICATION if result.needs_verification else QuotationStatus.READY,
        needs_verification=[{"code": f.code, "en": f.en, "zh": f.zh} for f in result.needs_verification])
    QuotationLine.objects.bulk_create(
        QuotationLine(quotation=quotation, position=n, service=q.service, part=q.part, labour=q.labour, parts=q.parts,
                      list_labour=q.list_labour, list_parts=q.list_parts, covered=q.covered, cosmetic=q.cosmetic,
                      affects_function=q.affects_function, customer_requested=q.customer_requested,
                      decision=LineDecision.INCLUDED if q.covered else LineDecision.PENDING, **texts)
        for n, (q, texts) in enumerate(built, start=1))
    return quotation


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


@transaction.atomic
def quotation_send(*, quotation_id: int, actor, now: dt.datetime) -> tuple[Quotation, str]:
    require(actor, "quote.author")
    q = _locked_quotation(quotation_id)
    if q.status != QuotationStatus.READY:
        raise Conflict("not-ready", "Only a verified, ready quotation can be sent.", "只有已就绪的报价才能发送。")
    case = case_transition(case=locked_case(q.case.number), to=Status.AWAITING_CUSTOMER, actor=actor, now=now,
                           step="quotation")
    q.status, q.sent_at = QuotationStatus.SENT, now
    q.respond_by = case.day(now) + dt.timedelta(days=RESPOND_DAYS)
    q.save()
    fee = _inspection_fee(case, case.day(now))
    reactions.follow(events.quotation_sent(case, now, actor, q, inspection_fee=fee), now=now)
    return q, quotation_token(q)


@transaction.atomic
def quotation_answer(*, token: str, answers: dict[int, str], now: dt.datetime) -> Quotation:
    """The customer answers through the signed link they were sent."""
    q = _locked_quotation(quotation_from_token(token).pk)
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
    return _answer(_locked_quotation(quotation_id), answers, now=now, actor=actor, channel=channel)


def _answer(q: Quotation, answers: dict[int, str], *, now: dt.datetime, actor, channel: str) -> Quotation:
    """The customer accepts or declines each paid line. Covered lines are done free whatever the
    answer. Declining every paid line charges only the inspection fee (out of warranty) and
    sends the device back reassembled."""
    if q.status == QuotationStatus.ANSWERED:
        raise Conflict("already-answered", "This quotation has already been answered.", "该报价已答复。")
    if q.status != QuotationStatus.SENT:
        raise Conflict("quotation-not-sent", "This quotation has not been sent to the customer.",
                       "该报价尚未发送给客户。")
    case = locked_case(q.case.number)
    lines = list(q.lines.all())
    paid = [line for line in lines if not line.covered]
    missing = [line.position for line in paid if answers.get(line.position) not in ("accept", "decline")]
    if missing:
        raise AppError("answer-every-line", "Please accept or decline every line with a price "
                       f"(lines {', '.join(map(str, missing))}).",
                       f"请对每一项收费内容选择接受或拒绝（第 {', '.join(map(str, missing))} 行）。", field="answers")
    for line in paid:
        line.decision = LineDecision.ACCEPTED if answers[line.position] == "accept" else LineDecision.DECLINED
        line.save(update_fields=["decision"])
    q.status, q.answered_at = QuotationStatus.ANSWERED, now
    q.save(update_fields=["status", "answered_at"])
    accepted = [line for line in paid if line.decision == LineDecision.ACCEPTED]
    events.quotation_answered(case, now, actor, q, accepted=len(accepted), declined=len(paid) - len(accepted),
                              channel=channel)
    if accepted:
        total = sum((line.price for line in accepted), Decimal(0))
        Charge.objects.create(case=case, kind=ChargeKind.REPAIR, amount=total, currency=q.currency, quotation=q,
                              created_at=now, text_en=f"Repair lines you accepted ({len(accepted)}).",
                              text_zh=f"您接受的维修项目（{len(accepted)} 项）。")
    if accepted or any(line.covered for line in lines):
        case_transition(case=case, to=Status.REPAIRING, actor=actor, now=now, step="answer",
                        note=("You answered the quotation; repair goes ahead for the lines you accepted and any "
                              "covered by the warranty.", "您已答复报价；我们将维修您接受的项目以及保修范围内的项目。"))
    else:
        covered_anything = PartDecision.objects.filter(case=case, covered=True).exists()
        fee = Decimal(0) if covered_anything else _inspection_fee(case, case.day(now))
        if fee > 0:
            Charge.objects.create(case=case, kind=ChargeKind.INSPECTION, amount=fee, currency=q.currency,
                                  quotation=q, created_at=now,
                                  text_en="Inspection fee: the device was opened and diagnosed, and you declined "
                                          "the repair.",
                                  text_zh="检测费：产品已拆机检测，您选择不维修。")
        case_transition(case=case, to=Status.READY, actor=actor, now=now, step="answer",
                        note=("You declined the repair; the device is reassembled and ready to return.",
                              "您选择不维修；产品已重新装好，可以返还。"))
    return q


def _inspection_fee(case: Case, day: dt.date) -> Decimal:
    pack = packs_in_force().select(case.product_line, case.device.sold_in, day)
    if pack is None or pack.fees is None:
        return Decimal(0)
    return min(pack.fees.labour[case.product_line][INSPECTION], pack.fees.inspection_fee_max)

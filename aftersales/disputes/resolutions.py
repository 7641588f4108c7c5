"""Resolutions: what executive care does to put a dispute right, each with a plain letter to the
customer in their language (``templates/notifications/dispute-letter.*.txt``).

- troubleshooting, and "other": the agent's explanation, in the letter;
- an accelerated repair: the linked case, still open, is marked as a priority (``CasePriority``),
  which every queue shows first and marked;
- reimbursement of a billing discrepancy: compensation paid through the ledger (compensation
  expense → refunds payable) under a key of the dispute and the request, so a form sent twice
  pays once; never more than the case was charged in that currency. A credit note on the case's
  invoice documents it (``credit_notes``; none when the case has no invoice, which the timeline
  tells staff);
- a second look at a customer-induced-damage decision (seed 000 item 4: only the maker's staff
  decide it), by an agent who did not make the decision. Upheld, the decision stands; reversed,
  the determination reads "rejected" by the reviewer, the original decision is kept beside it
  (``DamageReview``), both are on the case's timeline, and every repair and inspection charge on
  the case is refunded through the ledger (one key per charge, so it is never refunded twice),
  with credit notes on the case's invoices as for a reimbursement.
  No case status changes here: a status moves only through ``repairs.services.case_transition``.

A dispute may end with several resolutions. Each is one transaction; a refusal leaves nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from aftersales.accounts.roles import require
from aftersales.billing.models import ChargeKind
from aftersales.core.errors import AppError, Conflict, Forbidden, NotFound
from aftersales.core.money import CURRENCIES, Money, parse_amount
from aftersales.disputes.credit_notes import refund_credit
from aftersales.disputes.models import CasePriority, DamageReview, Dispute, Resolution, ResolutionKind
from aftersales.disputes.clocks import clocks_answered
from aftersales.disputes.services import MAX_TEXT, locked_dispute, under_review
from aftersales.evidence.models import EvidenceKind
from aftersales.ledger.models import Purpose, Transfer
from aftersales.ledger.services import transfer_post
from aftersales.notifications.services import address_notify
from aftersales.repairs import events
from aftersales.repairs.models import DamageDetermination, DamageStatus, EventKind
from aftersales.repairs.status import CLOSED

REFUNDED_CHARGES = (ChargeKind.REPAIR, ChargeKind.INSPECTION)  # what a reversed damage decision gives back
_KEY = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def _bad(field: str, code: str, en: str, zh: str) -> AppError:
    return AppError(code, en, zh, field=field)


def _explanation(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise _bad("explanation", "missing-field", "Explain to the customer, in plain words, what we did and why.",
                   "请用通俗的语言向客户说明我们做了什么以及原因。")
    if len(text) > MAX_TEXT:
        raise _bad("explanation", "text-too-long", f"Keep the explanation to {MAX_TEXT:,} characters.",
                   f"说明最多 {MAX_TEXT} 个字符。")
    return text


def _open(number: str, key: str, actor) -> tuple[Dispute, Resolution | None]:
    """The dispute, locked, and the resolution already recorded under ``key`` (a form sent twice)."""
    if not isinstance(key, str) or not _KEY.match(key):
        raise _bad("key", "invalid-request-key", "This form has expired; reload the page and send it again.",
                   "此表单已失效；请刷新页面后重新提交。")
    dispute = locked_dispute(number, actor=actor)
    return dispute, dispute.resolutions.filter(key=key).first()


def _linked(dispute: Dispute):
    if dispute.case is None:
        raise Conflict("dispute-not-linked",
                       "This dispute names a case from before this system; it can be resolved by troubleshooting, "
                       "a reimbursement or otherwise, not on the case itself.",
                       "此争议涉及本系统启用前的维修单；可通过故障排除、退款或其他方式解决，但不能直接处理该维修单。")
    return dispute.case


def _record(dispute: Dispute, kind: str, *, key: str, explanation: str, actor, now: dt.datetime,
            money: Money | None = None, transfers: list[int] = (), extra: dict | None = None,
            staff: tuple[str, str] = ("", "")) -> Resolution:
    """The resolution row, the letter sent to the customer, and its line on the case's timeline."""
    letter = address_notify(
        email=dispute.email, language=dispute.language, template="dispute-letter", key=f"{dispute.number}:{key}",
        case=dispute.case, now=now, context={
            "customer_name": dispute.customer_name, "number": dispute.display_number, "kind": kind,
            "case_number": dispute.case.display_number if dispute.case else dispute.case_number,
            "explanation": explanation, "amount": money, **(extra or {})})
    resolution = Resolution.objects.create(
        dispute=dispute, kind=kind, key=key, explanation=explanation, amount=money.amount if money else None,
        currency=money.currency if money else "", transfers=list(transfers), letter_subject=letter.subject,
        letter_text=letter.body_text, by=actor, at=now)
    under_review(dispute, now)
    clocks_answered(dispute=dispute, now=now)  # the letter is an answer: the first one stops its clock
    if dispute.case is not None:
        label = ResolutionKind(kind)
        events.record(dispute.case, EventKind.NOTE, at=now, actor=actor, visible=False,
                      en=f"Executive care resolved dispute {dispute.display_number}: {label.label}.{staff[0]}",
                      zh=f"高级客户关怀已处理争议 {dispute.display_number}：{_ZH_KIND[kind]}。{staff[1]}",
                      data={"dispute": dispute.number, "resolution": resolution.pk})
    return resolution


_ZH_KIND = {ResolutionKind.TROUBLESHOOTING: "故障排除", ResolutionKind.ACCELERATED_REPAIR: "加急维修",
            ResolutionKind.REIMBURSEMENT: "退还多收费用", ResolutionKind.DAMAGE_REVIEW: "人为损坏认定复核",
            ResolutionKind.OTHER: "其他"}


@transaction.atomic
def resolution_explain(*, number: str, kind: str, explanation: str, key: str, actor, now: dt.datetime) -> Resolution:
    """Troubleshooting, or another resolution: the explanation is the letter's substance."""
    if kind not in (ResolutionKind.TROUBLESHOOTING, ResolutionKind.OTHER):
        raise _bad("kind", "unknown-resolution", "Choose one of the resolutions offered.", "请选择所列的解决方案之一。")
    dispute, earlier = _open(number, key, actor)
    if earlier is not None:
        return earlier
    return _record(dispute, kind, key=key, explanation=_explanation(explanation), actor=actor, now=now)


@transaction.atomic
def resolution_accelerate(*, number: str, explanation: str, key: str, actor, now: dt.datetime) -> Resolution:
    """Give the dispute's open case priority in every queue."""
    dispute, earlier = _open(number, key, actor)
    if earlier is not None:
        return earlier
    case = _linked(dispute)
    explanation = _explanation(explanation)
    if case.status in CLOSED:
        raise Conflict("case-closed", "The case is closed; there is no repair left to speed up.",
                       "该维修单已结束，没有可加急的维修。")
    CasePriority.objects.get_or_create(case=case, defaults={"dispute": dispute, "granted_by": actor,
                                                            "granted_at": now})
    events.record(case, EventKind.NOTE, at=now, actor=actor,
                  en="Your repair now has priority: we work on it before others waiting.",
                  zh="您的维修已列为优先：我们会优先处理。", data={"dispute": dispute.number, "priority": True})
    return _record(dispute, ResolutionKind.ACCELERATED_REPAIR, key=key, explanation=explanation, actor=actor, now=now)


def _charged(case, currency: str) -> Decimal:
    return case.charges.filter(currency=currency).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


@transaction.atomic
def resolution_reimburse(*, number: str, amount, currency: str, explanation: str, key: str, actor,
                         now: dt.datetime) -> Resolution:
    """Pay back an overcharge through the ledger; a case of ours is never paid back more than it was charged."""
    dispute, earlier = _open(number, key, actor)
    if earlier is not None:
        return earlier
    explanation = _explanation(explanation)
    if currency not in CURRENCIES:
        raise _bad("currency", "unknown-currency", "Choose the currency the customer paid in.",
                   "请选择客户付款所用的货币。")
    value = parse_amount(amount, field="amount")
    if value <= 0:
        raise _bad("amount", "amount-zero", "Enter the amount to pay back.", "请填写退还金额。")
    if dispute.case is not None and value > _charged(dispute.case, currency):
        raise _bad("amount", "more-than-charged",
                   f"The case was charged {_charged(dispute.case, currency)} {currency} in all; a reimbursement "
                   f"cannot be more.", f"该维修单共收费 {_charged(dispute.case, currency)} {currency}，退款不能超过此数。")
    transfer = transfer_post(key=f"dispute:{dispute.number}:{key}", debit=Purpose.COMPENSATION,
                             credit=Purpose.REFUNDS_PAYABLE, amount=value, currency=currency,
                             effective_on=now.date(), now=now, reference=dispute.number,
                             memo=f"Overcharge reimbursed, case {dispute.case_number}")
    credited = refund_credit(case=dispute.case, stem=f"dispute-{dispute.number}-{key}", amount=value,
                             currency=currency, transfers=[transfer], now=now,
                             reason_en=f"Overcharge reimbursed after dispute {dispute.display_number}",
                             reason_zh=f"经争议 {dispute.display_number} 处理，退还多收的费用")
    return _record(dispute, ResolutionKind.REIMBURSEMENT, key=key, explanation=explanation, actor=actor, now=now,
                   money=Money(value, currency), transfers=[transfer.pk], staff=credited.staff_words())


@transaction.atomic
def resolution_damage_review(*, number: str, determination: int, reverse: bool, note: str, considered: list[int],
                             key: str, actor, now: dt.datetime) -> Resolution:
    """Decide a confirmed damage decision again, as someone other than its decider."""
    require(actor, "damage.decide")
    dispute, earlier = _open(number, key, actor)
    if earlier is not None:
        return earlier
    case = _linked(dispute)
    found = _decision_to_review(case, determination, actor)
    note = _explanation(note)
    considered = _considered(case, considered)
    review = DamageReview(determination=found, reversed=reverse, original_status=found.status,
                          original_decided_by=found.decided_by, original_decided_at=found.decided_at,
                          original_note=found.decision_note, reviewed_by=actor, reviewed_at=now, note=note,
                          considered_evidence=considered)
    money, transfers = (_refund_charges(case, now) if reverse else (None, []))
    if reverse:
        found.status, found.decided_by, found.decided_at, found.decision_note = (
            DamageStatus.REJECTED, actor, now, note)
        found.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    events.record(case, EventKind.DAMAGE_DECIDED, at=now, actor=actor, **_review_words(reverse, note),
                  data={"determination": found.pk, "status": found.status, "review": True, "evidence": considered})
    staff = _credit_refunds(dispute, key, transfers, now)
    resolution = _record(dispute, ResolutionKind.DAMAGE_REVIEW, key=key, explanation=note, actor=actor, now=now,
                         money=money, transfers=transfers, extra={"reversed": reverse}, staff=staff)
    review.resolution = resolution
    review.save()
    return resolution


def _decision_to_review(case, determination: int, actor) -> DamageDetermination:
    """The case's confirmed damage decision, locked, if ``actor`` did not make it."""
    found = DamageDetermination.objects.select_for_update().filter(pk=determination, case=case).first()
    if found is None or found.status != DamageStatus.CONFIRMED:
        raise NotFound("unknown-determination", "This case has no such damage decision to look at again.",
                       "该维修单没有这项可复核的损坏认定。", field="determination")
    if found.decided_by_id == getattr(actor, "pk", None):
        raise Forbidden("same-decider", "You made this damage decision; another member of staff must look at it again.",
                        "这项损坏认定是您作出的；须由另一位员工复核。", field="determination")
    return found


def _review_words(reverse: bool, note: str) -> dict:
    if reverse:
        return {"en": f"A second member of staff looked at the damage decision again and reversed it: the repair is "
                      f"covered, free of charge. Reason: {note}",
                "zh": f"另一位员工复核了损坏认定并予以撤销：该维修属于保修范围，免费进行。理由：{note}"}
    return {"en": f"A second member of staff looked at the damage decision again and upheld it. Reason: {note}",
            "zh": f"另一位员工复核了损坏认定，维持原认定。理由：{note}"}


def _considered(case, considered) -> list[int]:
    """The photos the review weighed: every photo the customer sent among them, all of this case."""
    ids = {int(x) for x in considered or ()}
    on_case = set(case.evidence.values_list("pk", flat=True))
    customer = set(case.evidence.filter(kind=EvidenceKind.CUSTOMER).values_list("pk", flat=True))
    if customer - ids:
        raise _bad("considered", "customer-evidence-ignored",
                   "The customer sent their own photos of the device; a damage decision must consider each of them.",
                   "客户提供了产品照片；损坏判定必须逐一参考这些照片。")
    if ids - on_case:
        raise _bad("considered", "unknown-evidence", "Some of the photos named are not on this case.",
                   "所引用的部分照片不属于该维修单。")
    return sorted(ids)


def _refund_charges(case, now: dt.datetime) -> tuple[Money | None, list[int]]:
    """Refund every repair and inspection charge of the case through the ledger, once per charge."""
    charges = list(case.charges.filter(kind__in=REFUNDED_CHARGES, amount__gt=0).order_by("pk"))
    transfers = [transfer_post(key=f"charge-refund:{c.pk}", debit=Purpose.COMPENSATION, credit=Purpose.REFUNDS_PAYABLE,
                               amount=c.amount, currency=c.currency, effective_on=now.date(), now=now,
                               reference=case.number, memo="Damage decision reversed: charge refunded").pk
                 for c in charges]
    currencies = {c.currency for c in charges}
    if len(currencies) != 1:
        return None, transfers
    currency = currencies.pop()
    return Money(sum((c.amount for c in charges), Decimal("0.00")), currency), transfers


def _credit_refunds(dispute: Dispute, key: str, transfers: list[int], now: dt.datetime) -> tuple[str, str]:
    """Credit notes for the refunded charges, per currency; the staff's words about any left out."""
    refunds: dict[str, list[Transfer]] = {}
    for transfer in Transfer.objects.filter(pk__in=transfers).order_by("pk"):
        refunds.setdefault(transfer.currency, []).append(transfer)
    words = [refund_credit(case=dispute.case, stem=f"dispute-{dispute.number}-{key}", currency=currency,
                           amount=sum((t.amount for t in moved), Decimal("0.00")), transfers=moved, now=now,
                           reason_en=f"Damage decision reversed after dispute {dispute.display_number}: "
                                     f"repair and inspection charges refunded",
                           reason_zh=f"经争议 {dispute.display_number} 复核撤销人为损坏认定，退还维修费和检测费"
                           ).staff_words() for currency, moved in sorted(refunds.items())]
    return "".join(en for en, _ in words), "".join(zh for _, zh in words)

"""An auditor's decision on a finding: approved, the customer is paid back; rejected, with a reason.

Approval, in one transaction:
- compensation through the ledger (compensation expense → refunds payable) for the overcharge,
  under a key made from the finding's identity (``audit:<source>:<case>:<line>:<rule>``) and
  the case number as reference. The finding's row is locked first, and its identity is unique
  across runs, so approving twice, approving again after a re-run, or two auditors at once pay
  once; should all else fail, the ledger's key is the last word;
- for a case of this system, a credit note on its invoices in the currency, as for a dispute's
  reimbursement (``disputes.credit_notes``); a case from past years has no invoice here;
- a letter in plain words in the customer's language: what was overcharged, how much, and how it
  is paid back. A case of this system has its contact details and language, and the letter is
  sent; a case from past years has neither, so the letter is written in the language of its
  region and kept with the finding, to go by post.

Nothing is paid back beyond what the customer paid above what was due on the case, counting what
the audit already paid back on it (``payable``; the case's findings are locked together, so two
approvals see each other): a customer who paid part of an overcharged bill gets back what they
paid above the right amount.

A finding decided once is not decided again: approving an approved one returns it as it is;
approving a rejected one, or rejecting an approved one, is refused.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum

from aftersales.accounts.roles import require
from aftersales.audit.live import charged_lines, paid_for_repair
from aftersales.audit.models import AuditFinding, HistoryCase, HistoryLine, HistoryPayment, Review, Source
from aftersales.audit.wording import rule_sentence
from aftersales.core.errors import AppError, Conflict, NotFound
from aftersales.core.money import Money
from aftersales.disputes.credit_notes import refund_credit
from aftersales.ledger.models import Purpose
from aftersales.ledger.services import transfer_post
from aftersales.notifications.compose import Words, compose
from aftersales.notifications.services import person_notify
from aftersales.repairs.models import Case
from aftersales.warranty.packs import packs_in_force

CHINESE_REGIONS = {"CN", "HK", "MO", "TW"}
MAX_REASON = 2000


def _locked(finding_id: int) -> AuditFinding:
    finding = AuditFinding.objects.filter(pk=finding_id).first()
    if finding is None:
        raise NotFound("finding-not-found", "There is no such finding.", "没有这项审计发现。")
    # every finding of the case, in one order: two approvals on one case see each other's payment
    list(AuditFinding.objects.select_for_update().filter(source=finding.source, case_number=finding.case_number)
         .order_by("pk").values_list("pk", flat=True))
    return AuditFinding.objects.get(pk=finding_id)


def case_of(finding: AuditFinding) -> Case | None:
    """The case of this system a finding is about (None for a case of past years)."""
    if finding.source != Source.LIVE:
        return None
    return Case.objects.select_related("centre").filter(number=finding.case_number).first()


def _paid_on_case(finding: AuditFinding, case: Case | None) -> Decimal:
    """What the customer paid on the finding's case in its currency (for a case of this system,
    as the audit counts it: less the storage and trip fees)."""
    if finding.source == Source.LIVE:
        return paid_for_repair(case).get(finding.currency, Decimal("0.00")) if case else Decimal("0.00")
    return HistoryPayment.objects.filter(case__case_number=finding.case_number, currency=finding.currency) \
        .aggregate(paid=Sum("amount"))["paid"] or Decimal("0.00")


def _charged_on_case(finding: AuditFinding, case: Case | None) -> Decimal:
    """What the case was charged in all, as the audit re-priced it (its charged lines)."""
    if finding.source == Source.LIVE:
        if case is None:
            return Decimal("0.00")
        return sum((Decimal(labour) + Decimal(parts) for _s, _p, labour, parts, cur in charged_lines(case)
                    if cur == finding.currency), Decimal("0.00"))
    return HistoryLine.objects.filter(case__case_number=finding.case_number, currency=finding.currency) \
        .aggregate(charged=Sum(F("labour_charged") + F("parts_charged")))["charged"] or Decimal("0.00")


def payable(finding: AuditFinding, case: Case | None) -> tuple[Decimal, dict]:
    """What approving the finding pays back, and the case's figures it rests on. The customer is
    owed what they paid above what was due: the case's charges less every line overcharge found
    on it (those rejected as not overcharges excepted), less what the audit already paid back on
    it. A finding is paid in full when that covers it, else up to what is left: a customer who
    paid part of an overcharged bill gets back what they paid above the right amount, and one who
    paid nothing gets nothing back."""
    cent = Decimal("0.01")  # sums come back from SQLite without their cents (100, not 100.00)
    same_case = AuditFinding.objects.filter(source=finding.source, case_number=finding.case_number,
                                            currency=finding.currency)
    paid = _paid_on_case(finding, case).quantize(cent)
    charged = _charged_on_case(finding, case).quantize(cent)
    found = (same_case.filter(line_no__gt=0).exclude(review=Review.REJECTED)
             .aggregate(n=Sum("overcharge"))["n"] or Decimal("0.00")).quantize(cent)
    before = (same_case.filter(review=Review.APPROVED).exclude(pk=finding.pk)
              .aggregate(n=Sum("paid_back"))["n"] or Decimal("0.00")).quantize(cent)
    due = charged - found
    left = max(paid - due, Decimal("0.00")) - before
    figures = {"paid": paid, "due": due, "before": before, "cur": finding.currency}
    return max(min(finding.overcharge, left), Decimal("0.00")), figures


def _nothing_left(figures: dict) -> Conflict:
    return Conflict("nothing-to-pay-back",
                    "Nothing is left to pay back on this case: the customer paid {paid} {cur}, the right amount "
                    "was {due} {cur}, and the audit has already paid back {before} {cur}. Reject the finding, "
                    "saying why.".format(**figures),
                    "该维修单已无可退还的金额：客户支付了 {paid} {cur}，正确金额为 {due} {cur}，审计已退还 "
                    "{before} {cur}。请驳回这项审计发现并说明理由。".format(**figures))


@transaction.atomic
def finding_approve(*, finding_id: int, actor, now: dt.datetime) -> AuditFinding:
    """Pay the customer back the overcharge, credit it on the invoices, and write the letter."""
    require(actor, "audit.review")
    finding = _locked(finding_id)
    if finding.review == Review.APPROVED:
        return finding
    if finding.review == Review.REJECTED:
        raise Conflict("finding-rejected", "This finding was rejected; it cannot be approved now.",
                       "该审计发现已被驳回，不能再批准。")
    case = case_of(finding)
    amount, figures = payable(finding, case)
    if amount <= 0:
        raise _nothing_left(figures)
    money = Money(amount, finding.currency)
    transfer = transfer_post(key=f"audit:{finding.identity}", debit=Purpose.COMPENSATION,
                             credit=Purpose.REFUNDS_PAYABLE, amount=amount, currency=finding.currency,
                             effective_on=case.day(now) if case else now.date(), now=now,
                             reference=finding.case_number, memo=f"Overcharge audit compensation, {finding.rule}")
    credited = refund_credit(case=case, stem=f"audit-{finding.pk}", amount=amount,
                             currency=finding.currency, transfers=[transfer], now=now,
                             reason_en="Overcharge found by our audit, paid back",
                             reason_zh="经审计发现多收费用，予以退还")
    _letter(finding, case, money, figures, now)
    finding.review, finding.reviewed_by, finding.reviewed_at, finding.transfer = Review.APPROVED, actor, now, transfer
    finding.paid_back = amount
    finding.credit_notes = [n.number for n in credited.notes]
    finding.save()
    return finding


@transaction.atomic
def finding_reject(*, finding_id: int, reason: str, actor, now: dt.datetime) -> AuditFinding:
    """Close the finding without paying, saying why (kept for whoever reads it later)."""
    require(actor, "audit.review")
    reason = (reason or "").strip()
    if not reason:
        raise AppError("missing-field", "Say why this is not an overcharge.", "请说明为什么这不是多收费用。",
                       field="reason")
    if len(reason) > MAX_REASON:
        raise AppError("text-too-long", f"Keep the reason to {MAX_REASON:,} characters.",
                       f"理由最多 {MAX_REASON} 个字符。", field="reason")
    finding = _locked(finding_id)
    if finding.review == Review.APPROVED:
        raise Conflict("finding-approved", "This finding was approved and paid; it cannot be rejected now.",
                       "该审计发现已批准并付款，不能再驳回。")
    if finding.review == Review.OPEN:
        finding.review, finding.reason, finding.reviewed_by, finding.reviewed_at = Review.REJECTED, reason, actor, now
        finding.save()
    return finding


def _cited(finding: AuditFinding) -> Words | str:
    """The published terms the right price rests on, as title (date), section: the warranty terms
    that covered the part for a repair charged under warranty, else the fee schedule. Nothing for
    money paid above the charges, which needs no terms."""
    evidence = finding.evidence or {}
    pack = packs_in_force().by_label(evidence["pack"]) if evidence.get("pack") else None
    key = "warranty_clause" if finding.rule == "charged-under-warranty" else "clause"
    clause = pack.clauses.get(evidence.get(key) or "") if pack is not None else None
    return Words(clause.source(False), clause.source(True)) if clause is not None else ""


def _letter(finding: AuditFinding, case: Case | None, money: Money, figures: dict, now: dt.datetime) -> None:
    context = {"case_number": case.display_number if case else finding.case_number,
               "customer_name": case.customer_name if case else Words("customer", "尊敬的客户"),
               "sentence": rule_sentence(finding.rule), "cited": _cited(finding), "paying": money,
               "overcharge": Money(finding.overcharge, finding.currency),
               "partly": money.amount < finding.overcharge, "paid": Money(figures["paid"], finding.currency),
               "paid_more": finding.rule == "paid-more-than-charged",
               "charged": Money(finding.charged, finding.currency), "due": Money(finding.due, finding.currency)}
    if case is not None and (case.email or case.phone):
        letter = person_notify(key=f"audit-letter:{finding.identity}", email=case.email, phone=case.phone,
                               language=case.language, template="overcharge-letter", context=context, now=now,
                               case=case)
        finding.letter_language, finding.letter_subject, finding.letter_text = (letter.language, letter.subject,
                                                                                letter.body_text)
        finding.letter_sent = True
        return
    region = case.centre.region if case else _history_region(finding.case_number)
    language = "zh-hans" if region in CHINESE_REGIONS else "en"
    letter = compose("overcharge-letter", language, context)
    finding.letter_language, finding.letter_subject, finding.letter_text = language, letter.subject, letter.body_text


def _history_region(number: str) -> str:
    return HistoryCase.objects.filter(case_number=number).values_list("region", flat=True).first() or ""

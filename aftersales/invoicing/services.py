"""Issuing invoices and credit notes: the two doors every part of the product uses to put a charge
or a refund on paper (self-repair deposits kept, paid repairs, storage fees, dispute refunds).

Both are idempotent by a key the caller chooses, as the ledger is: the first request with a key
issues its document; a retry with the same key and the same request returns that document and
writes nothing; the same key with a different request is refused (``idempotency-key-reused``).
Invoices and credit notes keep separate keys. Two identical requests at the same moment make one
document: each locks its series' counter (a credit note first locks its invoice) and looks for
its key again once it holds the lock; the unique key is the last word.

A document's number is taken under that lock in the transaction that writes it (``numbering``),
so numbers run without gaps; everything is checked before anything is written, so a refusal
leaves no document, no line and no number behind.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction

from aftersales.core.errors import AppError, Conflict, NotFound
from aftersales.core.money import parse_amount
from aftersales.invoicing.models import CreditNote, Invoice, Series
from aftersales.invoicing.numbering import counter_locked, number_next
from aftersales.invoicing.request_checks import (TEXT_LIMIT, CheckedLine, Line, currency_checked, email_checked,
                                                 fingerprint, key_checked, lines_checked, moment_checked,
                                                 region_checked, text_checked, total_checked, transfers_checked)
from aftersales.invoicing.selectors import uncredited
from aftersales.invoicing.sellers import seller_for
from aftersales.policy.vocabulary import REGION_TIMEZONES
from aftersales.repairs.models import Case

__all__ = ["Line", "credit_note_issue", "invoice_issue"]


@transaction.atomic
def invoice_issue(*, key: str, lines: list[Line], currency: str, now: dt.datetime, case=None, reference: str = "",
                  region: str | None = None, customer_name: str | None = None, customer_email: str | None = None,
                  language: str | None = None, transfers: list = ()) -> Invoice:
    """Issue an invoice for ``lines`` (``Line(description_en, description_zh, unit_amount,
    quantity=1)``) in ``currency``, or return the one ``key`` already issued for this request.

    Say what it is for: a repair ``case`` (a ``repairs.Case``; its centre's region, the customer's
    name, e-mail and language are taken from it unless given), or a ``reference`` such as a
    self-repair order number (then ``region``, ``customer_name`` and ``language`` are needed).
    ``transfers`` are the ledger transfers (or their ids) the invoice documents, in its currency.
    ``now`` is the moment of issue; the issue date is that moment's date at the case's centre, or
    in the region's time zone.
    """
    now = moment_checked(now)
    region = _region_of(case, region)
    currency = currency_checked(currency)
    checked = lines_checked(lines)
    customer = _customer(case, customer_name, customer_email, language)
    reference = _reference(case, reference)
    linked = transfers_checked(transfers, currency)
    request = {"op": "invoice", "region": region, "currency": currency, "case": case.number if case else None,
               "reference": reference, "customer": customer, "transfers": [t.pk for t in linked],
               "lines": [[line.description_en, line.description_zh, str(line.unit_amount), line.quantity]
                         for line in checked]}
    seller_en, seller_zh = seller_for(region, case.centre if case else None)
    invoice = Invoice(region=region, currency=currency, case=case, reference=reference, seller_en=seller_en,
                      seller_zh=seller_zh, total=sum((line.amount for line in checked), Decimal("0.00")),
                      **customer)
    return _issue(key_checked(key), fingerprint(request), invoice, Series.INVOICE, checked, linked, now)


@transaction.atomic
def credit_note_issue(*, key: str, invoice: Invoice | str, amount, reason_en: str, reason_zh: str,
                      now: dt.datetime, transfers: list = ()) -> CreditNote:
    """Issue a credit note for ``amount`` (a decimal string, int or Decimal) of ``invoice`` (an
    ``Invoice`` or its number), giving the reason in English and Chinese, or return the one ``key``
    already issued for this request. It is refused (``credit-above-invoice``) when the invoice's
    credit notes would together exceed its total. ``transfers`` are the ledger transfers (or
    their ids) it documents, such as the refund; ``now`` is the moment of issue.
    """
    now = moment_checked(now)
    credited = _invoice_found(invoice)
    amount = total_checked(parse_amount(amount, what=("The amount to credit", "贷项金额")))
    reason_en, reason_zh = _reason_checked(reason_en), _reason_checked(reason_zh)
    linked = transfers_checked(transfers, credited.currency)
    request = {"op": "credit-note", "invoice": credited.number, "amount": str(amount), "reason_en": reason_en,
               "reason_zh": reason_zh, "transfers": [t.pk for t in linked]}
    note = CreditNote(invoice=credited, reason_en=reason_en, reason_zh=reason_zh, total=amount,
                      **{field: getattr(credited, field) for field in _COPIED})
    line = CheckedLine(reason_en, reason_zh, amount, 1, amount)

    def invoice_locked() -> None:  # one credit note of an invoice at a time
        Invoice.objects.select_for_update().filter(pk=credited.pk).first()

    def within_invoice() -> None:
        left = uncredited(credited)
        if amount > left:
            raise Conflict("credit-above-invoice",
                           f"Only {left} {credited.currency} of invoice {credited.number} is left to credit.",
                           f"发票 {credited.number} 仅剩 {left} {credited.currency} 可冲减。")

    return _issue(key_checked(key), fingerprint(request), note, Series.CREDIT_NOTE, [line], linked, now,
                  lock=invoice_locked, check=within_invoice)


def _invoice_found(invoice) -> Invoice:
    number = invoice.number if isinstance(invoice, Invoice) else invoice
    found = Invoice.objects.select_related("case__centre").filter(number=number).first() \
        if isinstance(number, str) else None
    if found is None:
        raise NotFound("invoice-not-found", "There is no such invoice.", "没有这张发票。")
    return found


def _reason_checked(reason) -> str:
    return text_checked(reason, limit=TEXT_LIMIT, code="invalid-reason",
                        en=f"Give the reason in English and in Chinese, at most {TEXT_LIMIT} characters each.",
                        zh=f"请用英文和中文说明原因，各不超过 {TEXT_LIMIT} 个字符。")


_COPIED = ("region", "currency", "case", "reference", "seller_en", "seller_zh", "customer_name", "customer_email",
           "language")


# ---------------------------------------------------------------------------------------------


def _issue(key: str, print_: str, document, series: Series, lines: list[CheckedLine], transfers: list, now,
           *, lock=None, check=None):
    model = type(document)
    if (earlier := _earlier(model, key, print_)) is not None:
        return earlier
    document.issued_at, document.issued_on = now, _issue_day(document, now)
    try:
        with transaction.atomic():  # a refusal or a lost race gives the number back
            if lock is not None:
                lock()
            counter = counter_locked(series=series, region=document.region, year=document.issued_on.year)
            if (earlier := _earlier(model, key, print_)) is not None:  # a parallel request won while we waited
                return earlier
            if check is not None:
                check()
            document.key, document.fingerprint, document.year = key, print_, document.issued_on.year
            document.sequence, document.number = number_next(counter)
            document.save()
    except IntegrityError:
        if (earlier := _earlier(model, key, print_)) is not None:
            return earlier
        raise
    _lines_write(document, lines)
    document.transfers.set(transfers)
    return document


def _lines_write(document, lines: list[CheckedLine]) -> None:
    parent = "invoice" if isinstance(document, Invoice) else "credit_note"
    document.lines.model.objects.bulk_create([
        document.lines.model(**{parent: document}, position=i, description_en=line.description_en,
                             description_zh=line.description_zh, quantity=line.quantity,
                             unit_amount=line.unit_amount, amount=line.amount)
        for i, line in enumerate(lines, start=1)])


def _earlier(model, key: str, print_: str):
    earlier = model.objects.filter(key=key).first()
    if earlier is None:
        return None
    if earlier.fingerprint != print_:
        raise Conflict("idempotency-key-reused",
                       "This request key was already used for a different document; use a new key.",
                       "此请求键已用于另一份不同的单据，请换用新的键。")
    return earlier


def _issue_day(document, now: dt.datetime) -> dt.date:
    if document.case is not None:
        return document.case.day(now)
    return now.astimezone(ZoneInfo(REGION_TIMEZONES[document.region])).date()


def _region_of(case, region) -> str:
    if case is None:
        return region_checked(region)
    if not isinstance(case, Case) or case.pk is None:
        raise NotFound("case-not-found", "There is no such repair case.", "没有这张维修单。")
    if region is not None and region != case.centre.region:
        raise AppError("region-mismatch", "The region is not the one of the service centre that has the case.",
                       "所填地区与受理此维修单的服务中心所在地区不符。")
    return case.centre.region


def _customer(case, name, email, language) -> dict:
    name = case.customer_name if name is None and case is not None else name
    email = (case.email if case is not None else "") if email is None else email
    language = case.language if language is None and case is not None else language
    name = text_checked(name, limit=120, code="customer-name-missing",
                        en="The invoice needs the customer's name, at most 120 characters.",
                        zh="发票须写明客户姓名，不超过 120 个字符。")
    if language is None or not isinstance(language, str):
        raise AppError("language-missing", "Say whether the customer reads Chinese or English.",
                       "请注明客户阅读中文还是英文。")
    return {"customer_name": name, "customer_email": email_checked(email),
            "language": "zh-hans" if language.lower().startswith("zh") else "en"}


def _reference(case, reference) -> str:
    required = case is None
    return text_checked(reference, limit=64, code="reference-missing" if required else "invalid-reference",
                        en="Give the case or the order the invoice is for (a reference of at most 64 characters).",
                        zh="请注明发票对应的维修单或订单（参考号不超过 64 个字符）。", required=required)

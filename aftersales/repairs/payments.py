"""Payments the customer makes at the counter, in cash or by card, for what a case owes: each
one a ledger transfer from the money the payment provider holds (``provider-cash``) to what the
customer owes (``receivable``), under the case number, in the transaction that locks the case.

The member of staff's form carries a request key made when the form was shown, so a second click
or a resent form records the payment once; a payment above what the case owes is refused. A
payment that settles everything owed issues the invoice for the charges it paid
(``billing.charge_invoices``), in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from aftersales.accounts.roles import require
from aftersales.billing.case_money import owed
from aftersales.billing.charge_invoices import paid_repair_invoice_issue
from aftersales.core.errors import AppError
from aftersales.core.money import CURRENCIES, parse_amount
from aftersales.ledger.models import Purpose, Transfer
from aftersales.ledger.selectors import recorded
from aftersales.ledger.services import transfer_post
from aftersales.repairs.services import locked_case

METHODS = {"cash": ("cash", "现金"), "card": ("card", "银行卡")}
KEY_LIMIT = 64


@transaction.atomic
def payment_take(*, number: str, amount, currency: str, method: str, key: str, actor,
                 now: dt.datetime) -> Transfer:
    """Record ``amount`` paid at the counter by ``method`` towards what the case owes."""
    require(actor, "payment.take")
    case = locked_case(number, actor=actor)
    _check(method, currency, key)
    ledger_key = f"counter-payment:{case.number}:{key}"
    amount = parse_amount(amount)
    if not recorded(ledger_key):  # a retry is answered by the ledger, whatever is owed by now
        _refuse_above_owed(case.number, amount, currency)
    en, zh = METHODS[method]
    paid = transfer_post(key=ledger_key, debit=Purpose.PROVIDER_CASH, credit=Purpose.RECEIVABLE, amount=amount,
                         currency=currency, effective_on=case.day(now), now=now, reference=case.number,
                         memo=f"Paid at the counter: {en} / 柜台付款：{zh}")
    paid_repair_invoice_issue(case=case, currency=currency, now=now)  # once everything owed is paid
    return paid


def _check(method: str, currency: str, key: str) -> None:
    if method not in METHODS:
        raise AppError("unknown-payment-method", "Say whether the customer paid in cash or by card.",
                       "请说明客户是用现金还是银行卡付款。", field="method")
    if currency not in CURRENCIES:
        raise AppError("unknown-currency", "The books do not keep this currency.", "账簿不使用该货币。",
                       field="currency")
    if not isinstance(key, str) or not key.strip() or len(key) > KEY_LIMIT:
        raise AppError("invalid-idempotency-key",
                       "The form has expired; reload the page and enter the payment again.",
                       "表单已失效，请刷新页面后重新登记付款。", field="key")


def _refuse_above_owed(number: str, amount, currency: str) -> None:
    due = owed(number, currency)
    if due <= 0:
        raise AppError("nothing-owed", "The customer owes nothing on this case.", "客户在此维修单上没有待付款项。",
                       field="amount")
    if amount > due:
        raise AppError("payment-above-owed", f"The customer owes {due} {currency}; take no more than that.",
                       f"客户应付 {due} {currency}，收款不能超过此金额。", field="amount")

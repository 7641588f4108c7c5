"""The payment-provider interface, and the built-in provider that records its work locally.

A provider does three things, each with an idempotency key chosen by us, so that a call retried
after a timeout or a crash is answered with the first call's result and moves no money twice
(the real providers we would plug in all take such a key):

- ``authorise(key, amount, token, reference)``: reserve the amount on the customer's means of
  payment. ``token`` is the provider's opaque stand-in for it, made by the provider's own payment
  page; card numbers never reach us, and a token that looks like one is refused unread.
- ``capture(key, authorisation, amount)``: take what was authorised.
- ``refund(key, capture, amount)``: give back all or part of a capture.

Each returns the provider's reference for what it did, or raises ``PaymentDeclined``.
``provider()`` is the one in use: ``settings.PAYMENT_PROVIDER`` (a dotted path), by default
``LocalProvider``, which keeps its entries in ``payments.LocalEntry`` and approves every token
except ``local-decline`` (for trying out a refusal). docs/payments.md says how a real one plugs in.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from aftersales.core.errors import AppError, Conflict
from aftersales.core.money import Money
from aftersales.payments.models import LocalEntry

DECLINING_TOKEN = "local-decline"
_CARD_NUMBER = re.compile(r"[\d \-]{12,23}")


class PaymentDeclined(AppError):
    status = 402


class Provider(Protocol):
    name: str

    def authorise(self, *, key: str, amount: Money, token: str, reference: str, now: dt.datetime) -> str: ...

    def capture(self, *, key: str, authorisation: str, amount: Money, now: dt.datetime) -> str: ...

    def refund(self, *, key: str, capture: str, amount: Money, now: dt.datetime) -> str: ...


def provider() -> Provider:
    return import_string(getattr(settings, "PAYMENT_PROVIDER", "aftersales.payments.providers.LocalProvider"))()


def check_token(token) -> str:
    """A payment token as a provider makes it; never card data (see the module overview)."""
    if not isinstance(token, str) or not token.strip() or len(token) > 128:
        raise AppError("invalid-payment-token", "The payment could not be set up; please try again.",
                       "付款未能完成设置，请重试。")
    if _CARD_NUMBER.fullmatch(token.strip()):
        raise AppError("card-number-given", "Card details are entered only on the payment provider's own page, "
                                            "never here. Nothing you typed was kept.",
                       "银行卡信息只能在支付服务商自己的页面上填写，不能在此填写。您输入的内容未被保存。")
    return token.strip()


class LocalProvider:
    """A provider inside our own database: what it approves is recorded in ``LocalEntry``."""

    name = "local"

    def authorise(self, *, key: str, amount: Money, token: str, reference: str, now: dt.datetime) -> str:
        approved = check_token(token) != DECLINING_TOKEN
        entry = self._record(key, LocalEntry.Kind.AUTHORISE, None, amount, approved, now)
        if not entry.approved:
            raise PaymentDeclined("payment-declined", "Your payment was declined. Please try another card or "
                                                      "ask your bank.",
                                  "您的付款被拒绝。请换用其他银行卡，或咨询您的银行。")
        return entry.reference

    def capture(self, *, key: str, authorisation: str, amount: Money, now: dt.datetime) -> str:
        parent = self._approved(authorisation, LocalEntry.Kind.AUTHORISE)
        if amount.amount > parent.amount:
            raise AppError("capture-above-authorisation", "More cannot be taken than was authorised.",
                           "扣款金额不能超过授权金额。")
        return self._record(key, LocalEntry.Kind.CAPTURE, parent, amount, True, now).reference

    def refund(self, *, key: str, capture: str, amount: Money, now: dt.datetime) -> str:
        parent = self._approved(capture, LocalEntry.Kind.CAPTURE)
        given = sum((c.amount for c in parent.children.exclude(key=key)), Decimal("0"))
        if given + amount.amount > parent.amount:
            raise AppError("refund-above-capture", "More cannot be refunded than was taken.",
                           "退款金额不能超过已扣款金额。")
        return self._record(key, LocalEntry.Kind.REFUND, parent, amount, True, now).reference

    def _approved(self, reference: str, kind: str) -> LocalEntry:
        entry = LocalEntry.objects.filter(reference=reference, kind=kind, approved=True).first()
        if entry is None:
            raise AppError("unknown-payment", "The payment provider has no record of this payment.",
                           "支付服务商没有这笔付款的记录。")
        return entry

    def _record(self, key: str, kind: str, parent: LocalEntry | None, amount: Money, approved: bool,
                now: dt.datetime) -> LocalEntry:
        same = {"kind": kind, "parent": parent, "amount": amount.amount, "currency": amount.currency}
        if (earlier := LocalEntry.objects.filter(key=key).first()) is None:
            try:
                with transaction.atomic():
                    return LocalEntry.objects.create(key=key, reference=f"loc_{secrets.token_hex(12)}",
                                                     approved=approved, recorded_at=now, **same)
            except IntegrityError:
                earlier = LocalEntry.objects.get(key=key)
        if any(getattr(earlier, name) != value for name, value in same.items()):
            raise Conflict("idempotency-key-reused", "This request key was already used for a different payment.",
                           "此请求键已用于另一笔不同的付款。")
        return earlier

"""Taking a payment and giving it back, with the books kept in step.

``payment_collect`` authorises and captures an amount at the provider and moves it in the
ledger from the provider's hands into the account the caller names (a deposit: customer deposits
held). ``payment_refund`` gives back all or part of it at the provider and moves it back out.
Each call takes an idempotency key: the provider's calls and the ledger transfer are keyed from
it, so a retry after a crash at any point finishes the work without charging or refunding twice
(the provider answers a repeated key with its first result, the ledger likewise), and the same
key with a different request is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import IntegrityError, transaction

from aftersales.core.errors import AppError, Conflict
from aftersales.core.money import Money
from aftersales.ledger.models import Purpose
from aftersales.ledger.services import transfer_post
from aftersales.payments.models import Payment, Refund
from aftersales.payments.providers import check_token, provider


def _fingerprint(request: dict) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()


def _reused() -> Conflict:
    return Conflict("idempotency-key-reused", "This request key was already used for a different payment.",
                    "此请求键已用于另一笔不同的付款。")


def _earlier(model, key: str, fingerprint: str):
    earlier = model.objects.filter(key=key).first()
    if earlier is not None and earlier.fingerprint != fingerprint:
        raise _reused()
    return earlier


@transaction.atomic
def payment_collect(*, key: str, amount: Money, token: str, reference: str, into: Purpose | str,
                    effective_on: dt.date, now: dt.datetime) -> Payment:
    """Charge ``amount`` now and hold it in the ledger account ``into``."""
    token = check_token(token)
    fingerprint = _fingerprint({"amount": amount.amount, "currency": amount.currency, "reference": reference,
                                "into": str(into)})
    if (earlier := _earlier(Payment, key, fingerprint)) is not None:
        return earlier
    gateway = provider()
    authorisation = gateway.authorise(key=f"{key}:authorise", amount=amount, token=token, reference=reference,
                                      now=now)
    capture = gateway.capture(key=f"{key}:capture", authorisation=authorisation, amount=amount, now=now)
    transfer_post(key=f"payment:{key}", debit=Purpose.PROVIDER_CASH, credit=into, amount=amount.amount,
                  currency=amount.currency, effective_on=effective_on, now=now, reference=reference,
                  memo="payment captured")
    try:
        with transaction.atomic():
            return Payment.objects.create(key=key, fingerprint=fingerprint, provider=gateway.name,
                                          reference=reference, amount=amount.amount, currency=amount.currency,
                                          authorisation=authorisation, capture=capture, captured_at=now)
    except IntegrityError:  # a parallel identical request won; the keyed calls above moved nothing twice
        return _earlier(Payment, key, fingerprint)


@transaction.atomic
def payment_refund(*, key: str, payment: Payment, amount: Money | None = None, out_of: Purpose | str,
                   effective_on: dt.date, now: dt.datetime) -> Refund:
    """Give back ``amount`` of ``payment`` (all that is left when None), out of ``out_of``."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    asked = "all" if amount is None else f"{amount.amount} {amount.currency}"
    fingerprint = _fingerprint({"payment": payment.pk, "amount": asked, "out_of": str(out_of)})
    if (earlier := _earlier(Refund, key, fingerprint)) is not None:
        return earlier
    left = payment.amount - payment.refunded
    amount = amount or Money(left, payment.currency)
    if amount.currency != payment.currency or amount.amount <= 0 or amount.amount > left:
        raise AppError("refund-not-possible", f"Only {left} {payment.currency} of this payment can still be "
                                              f"refunded.",
                       f"这笔付款最多还能退还 {left} {payment.currency}。")
    given = provider().refund(key=f"{key}:refund", capture=payment.capture, amount=amount, now=now)
    transfer_post(key=f"refund:{key}", debit=out_of, credit=Purpose.PROVIDER_CASH, amount=amount.amount,
                  currency=amount.currency, effective_on=effective_on, now=now, reference=payment.reference,
                  memo="payment refunded")
    payment.refunded += amount.amount
    payment.save(update_fields=["refunded"])
    return Refund.objects.create(key=key, fingerprint=fingerprint, payment=payment, amount=amount.amount,
                                 provider_reference=given, refunded_at=now)

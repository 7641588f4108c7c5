"""Payments taken and given back through a payment provider, and the built-in provider's own book.

- ``Payment``: one deposit (or other charge) authorised and captured at a provider, with the
  provider's references — never a card number, expiry or security code: the customer gives
  those to the provider, and we keep only the provider's opaque token for the charge.
- ``Refund``: an amount of a payment given back.
- ``LocalEntry``: what the built-in provider (``providers.LocalProvider``) records, as a real
  provider would on its side: each authorisation, capture and refund, once per idempotency key.

Every captured and refunded amount also moves through the ledger (``payments.services``), so
the books show what the provider holds for us.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from aftersales.core.money import CURRENCIES, CURRENCY_CHOICES


class Payment(models.Model):
    key = models.CharField(_("idempotency key"), max_length=128, unique=True)
    fingerprint = models.CharField(max_length=64)
    provider = models.CharField(_("provider"), max_length=32)
    reference = models.CharField(_("reference"), max_length=64)  # what the money is for, e.g. a CSR number
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    authorisation = models.CharField(_("provider's authorisation"), max_length=64)
    capture = models.CharField(_("provider's capture"), max_length=64)
    refunded = models.DecimalField(_("refunded"), max_digits=12, decimal_places=2, default=0)
    captured_at = models.DateTimeField(_("captured at"))

    class Meta:
        verbose_name = _("payment")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(refunded__gte=0) & Q(refunded__lte=F("amount")),
                                   name="payment_refunded_within_amount"),
            models.CheckConstraint(condition=Q(currency__in=sorted(CURRENCIES)), name="payment_currency"),
        ]

    def __str__(self):
        return f"{self.reference} {self.amount} {self.currency}"


class Refund(models.Model):
    key = models.CharField(_("idempotency key"), max_length=128, unique=True)
    fingerprint = models.CharField(max_length=64)
    payment = models.ForeignKey(Payment, models.PROTECT, related_name="refunds")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    provider_reference = models.CharField(_("provider's refund"), max_length=64)
    refunded_at = models.DateTimeField(_("refunded at"))

    class Meta:
        verbose_name = _("refund")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive")]


class LocalEntry(models.Model):
    class Kind(models.TextChoices):
        AUTHORISE = "authorise", _("Authorisation")
        CAPTURE = "capture", _("Capture")
        REFUND = "refund", _("Refund")

    key = models.CharField(max_length=128, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reference = models.CharField(max_length=64, unique=True)  # the provider's own id for the entry
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    approved = models.BooleanField()
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("built-in provider entry")

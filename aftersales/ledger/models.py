"""The books: accounts per purpose and currency, and the transfers between them.

A transfer moves one amount in one currency from the account it debits to the account it
credits, so every transfer balances by its shape (the debit equals the credit), and the database
holds the rest of the rule: both accounts are in the transfer's currency, a transfer is never
changed or deleted (a correction is a new transfer), and a pending transfer is resolved at most
once (migration ``0002_guards``: triggers on PostgreSQL and SQLite, and the unique ``pending``).

Holds follow TigerBeetle's two-phase transfers: a *pending* transfer reserves its amount (the
accounts' ``*_pending`` balances); a later *post* moves all or part of it (the rest is released),
a *void* releases it, an *expire* releases it at its timeout — each one row pointing at the
pending transfer. Each account keeps its four balances, updated in the transaction that writes
the transfer, so that reading a balance never sums history; a balance *as of* a past moment is
summed from the transfers recorded up to it (``selectors.balance_as_of``).

``recorded_at`` is when the books learned of the movement; ``effective_on`` the business date
it belongs to (a payment received on Friday and recorded on Monday is effective on Friday).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from aftersales.core.money import CURRENCY_CHOICES, CURRENCIES


class Purpose(models.TextChoices):
    PROVIDER_CASH = "provider-cash", _("Money held by the payment provider")
    RECEIVABLE = "receivable", _("Owed by customers")
    DEPOSITS_HELD = "deposits-held", _("Customer deposits held")
    REVENUE_PARTS = "revenue-parts", _("Revenue from parts")
    REVENUE_LABOUR = "revenue-labour", _("Revenue from labour")
    REVENUE_STORAGE = "revenue-storage", _("Storage fees")
    REVENUE_TRIPS = "revenue-trips", _("On-site trip fees")
    REFUNDS_PAYABLE = "refunds-payable", _("Refunds payable")
    COMPENSATION = "compensation", _("Compensation expense")


class Kind(models.TextChoices):
    POSTED = "posted", _("Posted")  # a one-phase transfer
    PENDING = "pending", _("Pending (a hold)")
    POST = "post", _("Hold posted")
    VOID = "void", _("Hold voided")
    EXPIRE = "expire", _("Hold expired")


RESOLUTIONS = (Kind.POST, Kind.VOID, Kind.EXPIRE)
MONEY = {"max_digits": 14, "decimal_places": 2, "default": Decimal("0.00")}


class Account(models.Model):
    purpose = models.CharField(_("purpose"), max_length=24, choices=Purpose.choices)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    debits_pending = models.DecimalField(_("debits pending"), **MONEY)
    debits_posted = models.DecimalField(_("debits posted"), **MONEY)
    credits_pending = models.DecimalField(_("credits pending"), **MONEY)
    credits_posted = models.DecimalField(_("credits posted"), **MONEY)

    class Meta:
        verbose_name = _("ledger account")
        constraints = [
            models.UniqueConstraint(fields=["purpose", "currency"], name="ledger_account_one_per_purpose"),
            models.CheckConstraint(condition=Q(currency__in=sorted(CURRENCIES)), name="ledger_account_currency"),
            models.CheckConstraint(
                condition=Q(debits_pending__gte=0, debits_posted__gte=0, credits_pending__gte=0, credits_posted__gte=0),
                name="ledger_account_balances_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.currency}"


class Transfer(models.Model):
    key = models.CharField(_("idempotency key"), max_length=128, unique=True)
    fingerprint = models.CharField(max_length=64)  # of the request, to tell a retry from a reuse
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    debit = models.ForeignKey(Account, models.PROTECT, related_name="+")
    credit = models.ForeignKey(Account, models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    pending = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+")
    timeout_at = models.DateTimeField(_("hold expires at"), null=True, blank=True)
    effective_on = models.DateField(_("effective on"))
    recorded_at = models.DateTimeField(_("recorded at"))
    reference = models.CharField(_("reference"), max_length=64, blank=True)  # e.g. the case number
    memo = models.CharField(_("memo"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ledger transfer")
        indexes = [
            models.Index(fields=["debit", "recorded_at"], name="ledger_transfer_debit_time"),
            models.Index(fields=["credit", "recorded_at"], name="ledger_transfer_credit_time"),
            models.Index(fields=["reference"], name="ledger_transfer_reference"),
            models.Index(fields=["timeout_at"], condition=Q(kind="pending"), name="ledger_pending_timeout"),
        ]
        constraints = [
            # Each hold is posted, voided or expired at most once, whatever the code does.
            models.UniqueConstraint(fields=["pending"], name="ledger_hold_resolved_once"),
            models.CheckConstraint(condition=~Q(debit=F("credit")), name="ledger_transfer_two_accounts"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="ledger_transfer_amount_not_negative"),
            # Only a post may move nothing (a hold released in full by posting zero).
            models.CheckConstraint(condition=Q(amount__gt=0) | Q(kind="post"), name="ledger_transfer_amount_positive"),
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in RESOLUTIONS], pending__isnull=False)
                                   | (~Q(kind__in=[k.value for k in RESOLUTIONS]) & Q(pending__isnull=True)),
                                   name="ledger_resolution_names_its_hold"),
            models.CheckConstraint(condition=Q(kind="pending") | Q(timeout_at__isnull=True),
                                   name="ledger_only_holds_time_out"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="ledger_transfer_kind"),
            models.CheckConstraint(condition=Q(currency__in=sorted(CURRENCIES)), name="ledger_transfer_currency"),
        ]

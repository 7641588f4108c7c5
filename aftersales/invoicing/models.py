"""Invoices and credit notes: the documents a customer keeps for money they paid or got back.

Design overview. A document is issued once and never changed: its number, dates, the customer's
name, e-mail and language, the seller and every line are copied onto it when it is issued, so
that it reads the same years later whatever happens to the case or the customer's account. A
correction is a credit note, never an edit.

Numbers run without gaps per series, region and year (``numbering``): ``CN-2026-000001`` for
invoices, ``CN-2026-C000001`` for credit notes. Each document carries the idempotency key its
caller chose (``services``), unique per kind of document.

A document belongs to a repair case (``case``), or names another reference (a self-repair order
number, say) in ``reference``; it may point at the ledger transfers it documents. A credit note
belongs to one invoice and, with the others on it, never credits more than the invoice's total
(checked under a lock on the invoice when it is issued).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aftersales.core.money import CURRENCIES, CURRENCY_CHOICES
from aftersales.policy.vocabulary import Region

MONEY = {"max_digits": 12, "decimal_places": 2}


class Series(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit-note", _("Credit note")


class Counter(models.Model):
    """The last number given in one series, region and year; locked while a document is issued."""

    series = models.CharField(max_length=16, choices=Series.choices)
    region = models.CharField(max_length=2, choices=Region.choices)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "region", "year"], name="invoicing_one_counter")]


class Document(models.Model):
    key = models.CharField(_("request key"), max_length=128, unique=True)
    fingerprint = models.CharField(max_length=64)  # of the request, to tell a retry from a reuse
    number = models.CharField(_("number"), max_length=24, unique=True)
    region = models.CharField(_("region"), max_length=2, choices=Region.choices)
    year = models.PositiveIntegerField(_("year"))
    sequence = models.PositiveIntegerField()
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    issued_on = models.DateField(_("issued on"))  # the date where it was issued (the centre's or region's)
    issued_at = models.DateTimeField(_("issued at"))
    seller_en = models.CharField(_("seller (English)"), max_length=200)
    seller_zh = models.CharField(_("seller (Chinese)"), max_length=200)
    customer_name = models.CharField(_("customer's name"), max_length=120)
    customer_email = models.EmailField(_("customer's e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=8)
    case = models.ForeignKey("repairs.Case", models.PROTECT, null=True, blank=True, related_name="+")
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    total = models.DecimalField(_("total"), **MONEY)
    transfers = models.ManyToManyField("ledger.Transfer", blank=True, related_name="+")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number


def _document_constraints(prefix: str) -> list:
    return [
        models.UniqueConstraint(fields=["region", "year", "sequence"], name=f"{prefix}_one_per_sequence"),
        models.CheckConstraint(condition=Q(total__gt=0), name=f"{prefix}_total_positive"),
        models.CheckConstraint(condition=Q(sequence__gt=0), name=f"{prefix}_sequence_positive"),
        models.CheckConstraint(condition=Q(case__isnull=False) | ~Q(reference=""), name=f"{prefix}_names_what_for"),
        models.CheckConstraint(condition=Q(currency__in=sorted(CURRENCIES)), name=f"{prefix}_currency"),
        models.CheckConstraint(condition=Q(language__in=["en", "zh-hans"]), name=f"{prefix}_language"),
    ]


class Invoice(Document):
    class Meta:
        verbose_name = _("invoice")
        constraints = _document_constraints("invoice")
        indexes = [models.Index(fields=["case", "issued_at"], name="invoice_of_case")]


class CreditNote(Document):
    invoice = models.ForeignKey(Invoice, models.PROTECT, related_name="credit_notes", verbose_name=_("invoice"))
    reason_en = models.CharField(_("reason (English)"), max_length=200)
    reason_zh = models.CharField(_("reason (Chinese)"), max_length=200)

    class Meta:
        verbose_name = _("credit note")
        constraints = _document_constraints("credit_note")
        indexes = [models.Index(fields=["case", "issued_at"], name="credit_note_of_case")]


class Line(models.Model):
    position = models.PositiveSmallIntegerField()
    description_en = models.CharField(_("description (English)"), max_length=200)
    description_zh = models.CharField(_("description (Chinese)"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_amount = models.DecimalField(_("unit amount"), **MONEY)
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        abstract = True
        ordering = ["position"]


def _line_constraints(prefix: str, parent: str) -> list:
    return [
        models.UniqueConstraint(fields=[parent, "position"], name=f"{prefix}_one_per_position"),
        models.CheckConstraint(condition=Q(quantity__gt=0), name=f"{prefix}_quantity_positive"),
        models.CheckConstraint(condition=Q(unit_amount__gte=0, amount__gte=0), name=f"{prefix}_amounts_not_negative"),
    ]


class InvoiceLine(Line):
    invoice = models.ForeignKey(Invoice, models.CASCADE, related_name="lines")

    class Meta(Line.Meta):
        constraints = _line_constraints("invoice_line", "invoice")


class CreditNoteLine(Line):
    credit_note = models.ForeignKey(CreditNote, models.CASCADE, related_name="lines")

    class Meta(Line.Meta):
        constraints = _line_constraints("credit_note_line", "credit_note")

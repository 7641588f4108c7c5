"""Prices and quotations.

- ``PartPrice``: the national parts price list, effective-dated per part and product line.
- ``FairMarketValue``: what a model is worth, effective-dated (a whole-unit replacement never
  above it; a total above it only with a verifier).
- ``Quotation`` / ``QuotationLine``: what a repair will cost, line by line, in plain words. The
  customer accepts or declines each paid line; covered lines are free and never depend on a
  paid one. A quotation that deviates from the lists needs a verifier who is not its author.

Price rows are history: a row is added, and ended with ``valid_to``, never edited otherwise
(``billing.pricelist``), so an audit finds the list as it stood on any day. Rows of one key never
overlap (checked there); the database holds the rest: known currencies, amounts not negative,
``valid_from <= valid_to``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from aftersales.core.money import CURRENCIES, CURRENCY_CHOICES


def known_currency(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(currency__in=sorted(CURRENCIES)), name=name)

class PartPrice(models.Model):
    part = models.CharField(_("part"), max_length=32)
    product_line = models.CharField(_("product line"), max_length=16)
    model = models.CharField(_("model"), max_length=64, blank=True, help_text=_("empty: every model of the line"))
    region = models.CharField(_("region"), max_length=2)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("part price")
        verbose_name_plural = _("parts price list")
        indexes = [models.Index(fields=["part", "product_line", "region", "valid_from"], name="part_price_lookup")]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="part_price_not_negative"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                                   name="part_price_valid_range"),
            known_currency("part_price_known_currency"),
            models.UniqueConstraint(fields=["part", "product_line", "model", "region", "valid_from"],
                                    name="part_price_unique_start"),
        ]

    def __str__(self):
        return f"{self.part} {self.product_line} {self.price} {self.currency} from {self.valid_from}"


class FairMarketValue(models.Model):
    model = models.CharField(_("model"), max_length=64)
    region = models.CharField(_("region"), max_length=2)
    value = models.DecimalField(_("fair market value"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("fair market value")
        verbose_name_plural = _("fair market values")
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="fmv_positive"),
            models.UniqueConstraint(fields=["model", "region", "valid_from"], name="fmv_unique"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                                   name="fmv_valid_range"),
            known_currency("fmv_known_currency"),
        ]

    def __str__(self):
        return f"{self.model} {self.region} {self.value} {self.currency} from {self.valid_from}"


class QuotationStatus(models.TextChoices):
    AWAITING_VERIFICATION = "awaiting-verification", _("Waiting for a verifier")
    READY = "ready", _("Ready to send")
    SENT = "sent", _("Sent to the customer")
    ANSWERED = "answered", _("Answered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Quotation(models.Model):
    case = models.ForeignKey("repairs.Case", on_delete=models.CASCADE, related_name="quotations")
    status = models.CharField(max_length=24, choices=QuotationStatus.choices)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    fair_market_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    explanation = models.TextField(_("explanation for the customer"), blank=True)
    unit_infeasible_reason = models.TextField(blank=True)
    needs_verification = models.JSONField(default=list, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verifier = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_note = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    respond_by = models.DateField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(verifier__isnull=True) | ~Q(verifier=F("author")),
                                   name="quotation_verifier_not_author"),
            known_currency("quotation_known_currency"),
        ]


class LineDecision(models.TextChoices):
    PENDING = "pending", _("Waiting for your answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    INCLUDED = "included", _("Included free (warranty)")


class QuotationLine(models.Model):
    quotation = models.ForeignKey(Quotation, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    service = models.CharField(max_length=32)
    part = models.CharField(max_length=32, blank=True)
    text_en = models.TextField(_("what and why, in plain English"))
    text_zh = models.TextField(_("what and why, in plain Chinese"))
    labour = models.DecimalField(max_digits=12, decimal_places=2)
    parts = models.DecimalField(max_digits=12, decimal_places=2)
    list_labour = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    list_parts = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    covered = models.BooleanField(default=False)
    cosmetic = models.BooleanField(default=False)
    affects_function = models.BooleanField(default=False)
    customer_requested = models.BooleanField(default=False)
    needs = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("position of the line of the same quotation this line needs"))
    decision = models.CharField(max_length=16, choices=LineDecision.choices, default=LineDecision.PENDING)

    class Meta:
        ordering = ["quotation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["quotation", "position"], name="quotation_line_position_unique"),
            models.CheckConstraint(condition=Q(labour__gte=0, parts__gte=0), name="quotation_line_not_negative"),
            models.CheckConstraint(condition=Q(covered=False) | Q(labour=0, parts=0), name="covered_line_free"),
            models.CheckConstraint(condition=Q(needs__isnull=True) | ~Q(needs=F("position")),
                                   name="quotation_line_needs_another"),
        ]

    @property
    def price(self):
        return self.labour + self.parts


class ChargeKind(models.TextChoices):
    REPAIR = "repair", _("Repair")
    INSPECTION = "inspection", _("Inspection fee")
    STORAGE = "storage", _("Storage fee")
    TRIP = "trip", _("Trip fee")


class Charge(models.Model):
    """Money the customer owes on a case, with the reason in both languages."""

    case = models.ForeignKey("repairs.Case", on_delete=models.CASCADE, related_name="charges")
    kind = models.CharField(max_length=16, choices=ChargeKind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    text_en = models.TextField()
    text_zh = models.TextField()
    quotation = models.ForeignKey(Quotation, null=True, blank=True, on_delete=models.PROTECT, related_name="charges")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="charge_not_negative"),
                       known_currency("charge_known_currency")]

"""Repairs of past years as the records of the time hold them, for the overcharge audit.

- ``HistoryCase``: one repair: the device, the faulty part, what inspection found, whether the
  customer declined the quotation, and the currency it was charged in.
- ``HistoryLine``: one line of what was charged, labour and parts apart, by service.
- ``HistoryPayment``: one payment the customer made on the case.

Rows are keyed as the records key them (case number; case number and line number; case number
and payment reference), so importing the same file twice adds nothing. Nothing here is edited
once imported: the audit reads these rows as they were charged.
"""

from django.db import models
from django.db.models import Q

from aftersales.core.money import CURRENCIES, CURRENCY_CHOICES


def _known_currency(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(currency__in=sorted(CURRENCIES)), name=name)


class HistoryCase(models.Model):
    case_number = models.CharField(max_length=32, unique=True)
    region = models.CharField(max_length=2)
    centre = models.CharField(max_length=64, blank=True)
    product_line = models.CharField(max_length=16)
    model = models.CharField(max_length=64, blank=True)
    serial = models.CharField(max_length=64, blank=True)
    manufactured_on = models.DateField()
    purchased_on = models.DateField(null=True, blank=True)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    part = models.CharField(max_length=32)
    exclusions = models.CharField(max_length=400, blank=True, help_text="finding codes joined by ';'")
    quotation_rejected = models.BooleanField(default=False)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)

    class Meta:
        constraints = [_known_currency("history_case_known_currency")]

    def __str__(self):
        return self.case_number


class HistoryLine(models.Model):
    case = models.ForeignKey(HistoryCase, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    service = models.CharField(max_length=32)
    part = models.CharField(max_length=32, blank=True)
    labour_charged = models.DecimalField(max_digits=12, decimal_places=2)
    parts_charged = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "line_no"], name="history_line_unique"),
            models.CheckConstraint(condition=Q(labour_charged__gte=0, parts_charged__gte=0),
                                   name="history_line_not_negative"),
            _known_currency("history_line_known_currency"),
        ]


class HistoryPayment(models.Model):
    case = models.ForeignKey(HistoryCase, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    reference = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "reference"], name="history_payment_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="history_payment_not_negative"),
            _known_currency("history_payment_known_currency"),
        ]

"""Repairs of past years as the records of the time hold them, for the overcharge audit.

- ``HistoryCase``: one repair: the device, the faulty part, what inspection found, whether the
  customer declined the quotation, and the currency it was charged in.
- ``HistoryLine``: one line of what was charged, labour and parts apart, by service.
- ``HistoryPayment``: one payment the customer made on the case.

Rows are keyed as the records key them (case number; case number and line number; case number
and payment reference), so importing the same file twice adds nothing. Nothing here is edited
once imported: the audit reads these rows as they were charged.

What the audit finds, and what is done about it:

- ``AuditRun``: one run of the audit started in the console, how far it has come, the packs it
  priced with and its totals by rule;
- ``AuditFinding``: one overcharge, known by where it is (history or a live case, the case number,
  the line — 0 for the whole case — and the rule), unique across runs: a run that finds it again
  adds nothing, so a finding approved and paid once is never paid again. An auditor approves it
  (compensation through the ledger, a credit note, a letter) or rejects it with a reason.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

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


class RunState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Stopped by a fault")


class AuditRun(models.Model):
    """One audit started in the console and run by the worker (``audit.runs``). ``steps_done`` of
    ``steps_total`` tell how far it has come; ``by_rule`` holds, per rule, the findings and the
    overcharge per currency; ``unpriced`` the cases the rules could not price, by reason."""

    state = models.CharField(_("state"), max_length=8, choices=RunState.choices, default=RunState.QUEUED)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=0)
    cases = models.PositiveBigIntegerField(_("cases audited"), default=0)
    findings = models.PositiveBigIntegerField(_("findings"), default=0)
    new_findings = models.PositiveBigIntegerField(_("new findings"), default=0)
    packs = models.JSONField(_("policy packs"), default=list, blank=True)  # "id@version", as priced with
    by_rule = models.JSONField(default=dict, blank=True)
    unpriced = models.JSONField(default=dict, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("started by"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("audit run")
        constraints = [models.CheckConstraint(condition=Q(steps_done__lte=F("steps_total")),
                                              name="audit_run_done_le_total")]

    @property
    def finished(self) -> bool:
        return self.state in (RunState.DONE, RunState.FAILED)


class Source(models.TextChoices):
    HISTORY = "history", _("Imported history")
    LIVE = "live", _("Case in this system")


class Review(models.TextChoices):
    OPEN = "open", _("To review")
    APPROVED = "approved", _("Approved and paid")
    REJECTED = "rejected", _("Rejected")


class AuditFinding(models.Model):
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    case_number = models.CharField(_("case number"), max_length=32)
    line_no = models.PositiveIntegerField(_("line"))  # 0: the case as a whole (payments above the charges)
    rule = models.CharField(_("rule"), max_length=32)
    charged = models.DecimalField(_("charged"), max_digits=14, decimal_places=2)
    due = models.DecimalField(_("due"), max_digits=14, decimal_places=2)
    overcharge = models.DecimalField(_("overcharge"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    evidence = models.JSONField(_("evidence"), default=dict)
    run = models.ForeignKey(AuditRun, on_delete=models.PROTECT, related_name="found", verbose_name=_("found by"))
    review = models.CharField(_("review"), max_length=8, choices=Review.choices, default=Review.OPEN)
    reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # what approval paid back: the overcharge, or less when the customer paid only part of the bill
    paid_back = models.DecimalField(_("paid back"), max_digits=14, decimal_places=2, null=True, blank=True)
    transfer = models.ForeignKey("ledger.Transfer", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    credit_notes = models.JSONField(default=list, blank=True)  # numbers of the credit notes issued
    letter_language = models.CharField(max_length=8, blank=True)
    letter_subject = models.CharField(max_length=200, blank=True)
    letter_text = models.TextField(blank=True)
    letter_sent = models.BooleanField(default=False)  # False: no contact on file; the letter goes by post

    class Meta:
        ordering = ["case_number", "line_no", "rule"]
        verbose_name = _("audit finding")
        indexes = [models.Index(fields=["review", "rule"], name="audit_finding_review_rule"),
                   models.Index(fields=["reviewed_at"], name="audit_finding_reviewed_at")]
        constraints = [
            models.UniqueConstraint(fields=["source", "case_number", "line_no", "rule"], name="audit_finding_once"),
            models.CheckConstraint(condition=Q(overcharge__gt=0), name="audit_finding_overcharge_positive"),
            models.CheckConstraint(condition=Q(review="approved", transfer__isnull=False)
                                   | (~Q(review="approved") & Q(transfer__isnull=True)),
                                   name="audit_finding_paid_when_approved"),
            _known_currency("audit_finding_known_currency"),
        ]

    @property
    def identity(self) -> str:
        return f"{self.source}:{self.case_number}:{self.line_no}:{self.rule}"

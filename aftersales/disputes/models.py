"""Disputes: the executive-care channel where a customer says what went wrong with a repair.

Design overview: a ``Dispute`` holds what the customer wrote on the published form (the name as
on the case, the case number, the serial, the country, what happened, further feedback), the
e-mail address the answer goes to and their language; the date the answer is due is the reading
of its first-answer clock (``due``, ``clocks``), never stored here. It is linked to its ``Case`` when the number names one of ours with the
same serial; cases from before this product (back to 2011) are named by their old number and
stay unlinked. Executive-care agents work it: ``state`` (filed, in review, waiting for the
customer, resolved), the
``assignee``, internal ``DisputeNote`` rows, and one ``Resolution`` row per thing done to put it
right — a dispute may end with several. Each resolution carries the letter the customer was sent,
in their language. Two resolutions leave rows of their own: an accelerated repair marks the case
(``CasePriority``, read by every queue), and a second look at a customer-induced-damage decision
keeps the original decision beside the new one (``DamageReview``).

Every row here is written by ``services`` or ``resolutions``; money moves only through the ledger.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aftersales.core.money import CURRENCY_CHOICES
from aftersales.disputes.numbers import display


class State(models.TextChoices):
    FILED = "filed", _("Filed, waiting for review")
    IN_REVIEW = "in-review", _("In review")
    # The executive-care policy's pause state: the clocks stop while we wait for the customer.
    WAITING = "waiting-for-customer", _("Waiting for the customer")
    RESOLVED = "resolved", _("Resolved")


class Dispute(models.Model):
    number = models.CharField(_("dispute number"), max_length=16, unique=True)
    filed_at = models.DateTimeField(_("filed at"))
    # The published form's fields, as the customer typed them.
    customer_name = models.CharField(_("name as on the case"), max_length=120)
    case_number = models.CharField(_("case number"), max_length=40)
    serial = models.CharField(_("serial number"), max_length=32)
    country = models.CharField(_("country or region"), max_length=2)
    what_happened = models.TextField(_("what happened"))
    feedback = models.TextField(_("further feedback"), blank=True)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8, default="en")
    # Our case, when the number names one of ours with the same serial; None for older cases.
    case = models.ForeignKey("repairs.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="disputes",
                             verbose_name=_("repair case"))
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="disputes", verbose_name=_("customer account"))
    state = models.CharField(_("state"), max_length=24, choices=State.choices, default=State.FILED)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("assigned to"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["filed_at", "id"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        indexes = [models.Index(fields=["filed_at"], name="dispute_filed_at")]  # the dashboard's period
        constraints = [
            models.CheckConstraint(condition=Q(state__in=State.values), name="dispute_state_known"),
            models.CheckConstraint(condition=Q(state=State.RESOLVED, resolved_at__isnull=False)
                                   | (~Q(state=State.RESOLVED) & Q(resolved_at__isnull=True)),
                                   name="dispute_resolved_at_iff_resolved"),
        ]

    def __str__(self):
        return self.number

    @property
    def display_number(self) -> str:
        return display(self.number)


class DisputeFile(models.Model):
    """A supporting file sent with the dispute (a charged invoice, a quotation, photos), checked
    and kept by the evidence pipeline's rules (``files``)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["dispute", "uploaded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["dispute", "sha256"], name="dispute_file_once")]


class DisputeNote(models.Model):
    """An internal note by executive care; the customer never sees it. ``to_customer``: the note
    keeps a question the customer was e-mailed (``questions``)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    at = models.DateTimeField()
    to_customer = models.BooleanField(default=False)

    class Meta:
        ordering = ["dispute", "at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="dispute_note_not_empty")]


class ResolutionKind(models.TextChoices):
    TROUBLESHOOTING = "troubleshooting", _("Troubleshooting")
    ACCELERATED_REPAIR = "accelerated-repair", _("Accelerated repair")
    REIMBURSEMENT = "reimbursement", _("Reimbursement of a billing discrepancy")
    DAMAGE_REVIEW = "damage-review", _("Re-evaluation of a damage decision")
    OTHER = "other", _("Other")


class Resolution(models.Model):
    """One thing done to put the dispute right, with the letter the customer was sent about it.
    ``key``: the request's idempotency key (a form sent twice records one resolution)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="resolutions")
    kind = models.CharField(_("resolution"), max_length=24, choices=ResolutionKind.choices)
    key = models.CharField(max_length=64)
    explanation = models.TextField(_("explanation for the customer"))
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, blank=True)
    transfers = models.JSONField(default=list, blank=True)  # ledger transfer ids
    letter_subject = models.CharField(max_length=255)
    letter_text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["dispute", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dispute", "key"], name="resolution_key_once"),
            models.CheckConstraint(condition=Q(kind__in=ResolutionKind.values), name="resolution_kind_known"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gt=0),
                                   name="resolution_amount_positive"),
        ]


class CasePriority(models.Model):
    """A repair accelerated by executive care: seen first, and marked, in the queues."""

    case = models.OneToOneField("repairs.Case", on_delete=models.PROTECT, related_name="priority")
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField()


class DamageReview(models.Model):
    """A second look at a customer-induced-damage decision, by someone other than its decider.
    The determination row holds the decision in force; this row keeps the one it replaced."""

    determination = models.ForeignKey("repairs.DamageDetermination", on_delete=models.PROTECT, related_name="reviews")
    resolution = models.OneToOneField(Resolution, on_delete=models.PROTECT, related_name="damage_review")
    reversed = models.BooleanField()
    original_status = models.CharField(max_length=16)
    original_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    original_decided_at = models.DateTimeField()
    original_note = models.TextField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField()
    note = models.TextField()
    considered_evidence = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(reviewed_by=models.F("original_decided_by")),
                                              name="damage_review_by_someone_else")]

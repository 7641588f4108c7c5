"""Repair cases (RMA) and their timeline.

A ``Case`` is one device's journey from booking to return. Its status changes only through
``services.case_transition``; every business event — booking, a status change, a note, a
piece of evidence, a quotation answer — is a ``CaseEvent`` row, written by ``events.record``
and never changed or removed afterwards, and the timeline that staff and (filtered) the customer
see is read from those rows. Numbers are random, never sequential, so one case number says
nothing about another. A case's calendar dates are those of its service centre's time zone.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aftersales.repairs.numbers import display
from aftersales.repairs.status import CLOSED, Status
from aftersales.warranty.models import PRODUCT_LINE_CHOICES


class Kind(models.TextChoices):
    CARRY_IN = "carry-in", _("Carry-in")
    MAIL_IN = "mail-in", _("Mail-in")
    ONSITE = "onsite", _("On-site visit")


class Preference(models.TextChoices):
    OWN_DEVICE = "own-device", _("Repair my own device")
    REFURBISHED = "refurbished", _("Swap for a refurbished unit")


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=16, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.BOOKED)
    status_changed_at = models.DateTimeField(_("status changed at"))
    centre = models.ForeignKey("centres.ServiceCentre", on_delete=models.PROTECT, related_name="cases",
                               verbose_name=_("service centre"))
    # The customer: an account when they have one, and always the contact details given at intake.
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="cases", verbose_name=_("customer account"))
    customer_name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    # Where a mail-in device goes back to, as the customer gave it when booking.
    return_address = models.TextField(_("return address"), blank=True)
    # The device as reported at intake; ``device`` links the serial registry when the serial is known.
    device = models.ForeignKey("warranty.Device", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="cases", verbose_name=_("device"))
    serial = models.CharField(_("serial number"), max_length=32)
    model = models.CharField(_("model"), max_length=64)
    product_line = models.CharField(_("product line"), max_length=16, choices=PRODUCT_LINE_CHOICES)
    purchased_on = models.DateField(_("purchase date"), null=True, blank=True)
    operating_system = models.CharField(_("operating system"), max_length=80, blank=True)
    bios_version = models.CharField(_("BIOS version"), max_length=80, blank=True)
    preference = models.CharField(_("repair preference"), max_length=16, choices=Preference.choices,
                                  default=Preference.OWN_DEVICE)
    # What the customer acknowledged at intake (seed 002 §4): all three are required.
    ack_data_loss = models.BooleanField(_("data may be erased; backed up"))
    ack_passwords = models.BooleanField(_("passwords removed or given"))
    ack_peripherals = models.BooleanField(_("peripherals and media removed"))
    # The warranty decision at intake, as the engine answered it (pack version and clauses included).
    warranty = models.JSONField(_("warranty decision"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("repair case")
        verbose_name_plural = _("repair cases")
        indexes = [
            models.Index(fields=["centre", "status", "created_at", "id"], name="case_queue"),
            # The staff queue (``selectors.case_queue``): open cases, oldest first, of one centre or
            # of all. Open cases are a small and recent share of all cases, so these indexes hold
            # them alone and hand a page over in queue order, from the cursor on.
            models.Index(fields=["centre", "created_at", "id"], condition=~Q(status__in=sorted(CLOSED)),
                         name="case_open_queue"),
            models.Index(fields=["created_at", "id"], condition=~Q(status__in=sorted(CLOSED)),
                         name="case_open_queue_all"),
            models.Index(fields=["serial"], name="case_serial"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="case_status_known"),
            models.CheckConstraint(condition=Q(ack_data_loss=True, ack_passwords=True, ack_peripherals=True),
                                   name="case_intake_acknowledged"),
            models.CheckConstraint(condition=~Q(email="") | ~Q(phone=""), name="case_has_contact"),
        ]

    def __str__(self):
        return self.number

    @property
    def display_number(self) -> str:
        """The number as people read and type it (R7KM-9Q2T-5WX4)."""
        return display(self.number)

    def day(self, at: dt.datetime) -> dt.date:
        """The calendar date of the moment ``at`` where the case is handled (its centre's zone)."""
        return at.astimezone(ZoneInfo(self.centre.timezone)).date()


class ReportedSymptom(models.Model):
    """One fault as the customer put it. Each gets a finding and an outcome before the case can
    close, and QA re-tests each one (seed 000 fairness rules)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="symptoms")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(_("what the customer reported"))

    class Meta:
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "position"], name="symptom_position_unique")]

    def __str__(self):
        return self.text[:60]


class EventKind(models.TextChoices):
    BOOKED = "booked", _("Booked")
    STATUS_CHANGED = "status-changed", _("Status changed")
    NOTE = "note", _("Note")
    WARRANTY_DECIDED = "warranty-decided", _("Warranty decided")
    EVIDENCE_ADDED = "evidence-added", _("Evidence added")
    FINDING_RECORDED = "finding-recorded", _("Finding recorded")
    TEST_RUN = "test-run", _("Test run")
    DAMAGE_PROPOSED = "damage-proposed", _("Damage proposed")
    DAMAGE_DECIDED = "damage-decided", _("Damage decided")
    QUOTATION_SENT = "quotation-sent", _("Quotation sent")
    QUOTATION_ANSWERED = "quotation-answered", _("Quotation answered")
    PART_FITTED = "part-fitted", _("Part fitted")
    SHIPPED = "shipment", _("Shipment")
    ADVANCE_SHIPPED = "advance-shipped", _("Replacement sent in advance")
    FOLLOW_UP = "follow-up", _("Follow-up")
    FOLLOW_UP_ANSWERED = "follow-up-answered", _("Follow-up answered")
    CUSTOMER_MESSAGE = "customer-message", _("Message from the customer")
    STORAGE_FEES_STARTED = "storage-fees-started", _("Storage fees started")
    VISIT = "visit", _("On-site visit")


class AppendOnly(models.QuerySet):
    """Timeline rows are written once: a bulk update or delete is refused."""

    def update(self, **kwargs):
        raise TypeError("case events are append-only")

    def delete(self):
        raise TypeError("case events are append-only")


class CaseEvent(models.Model):
    """One typed event on a case's timeline. Append-only: written by ``events.record``, never
    changed or deleted (nor is a case that has events)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_role = models.CharField(max_length=16, blank=True)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    customer_visible = models.BooleanField(default=True)
    summary_en = models.TextField()
    summary_zh = models.TextField()
    data = models.JSONField(default=dict, blank=True)

    objects = AppendOnly.as_manager()

    class Meta:
        ordering = ["case", "at", "id"]
        indexes = [models.Index(fields=["case", "at", "id"], name="event_timeline")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_known"),
            models.CheckConstraint(condition=Q(from_status="") | Q(from_status__in=Status.values),
                                   name="event_from_status_known"),
            models.CheckConstraint(condition=Q(to_status="") | Q(to_status__in=Status.values),
                                   name="event_to_status_known"),
        ]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("case events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("case events are append-only")

    def summary(self, language: str) -> str:
        return self.summary_zh if (language or "").startswith("zh") else self.summary_en


# --- diagnosis ----------------------------------------------------------------------------------
class Outcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Fault confirmed")
    NOT_REPRODUCED = "not-reproduced", _("Could not reproduce the fault")
    SOFTWARE = "software", _("Software problem")
    DAMAGE = "damage", _("Caused by damage")


class Finding(models.Model):
    """What the centre found for one reported fault. Every reported fault gets one."""

    symptom = models.OneToOneField(ReportedSymptom, on_delete=models.CASCADE, related_name="finding")
    text = models.TextField(_("what we found"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    part = models.CharField(_("faulty part"), max_length=32, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()


class Stage(models.TextChoices):
    DIAGNOSIS = "diagnosis", _("Diagnosis")
    QA = "qa", _("Quality check")


class TestRun(models.Model):
    """One test and its result; at QA, tied to the reported fault it re-tests."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tests")
    stage = models.CharField(max_length=16, choices=Stage.choices)
    symptom = models.ForeignKey(ReportedSymptom, null=True, blank=True, on_delete=models.CASCADE, related_name="tests")
    name = models.CharField(_("test"), max_length=120)
    passed = models.BooleanField(_("passed"))
    details = models.TextField(_("details"), blank=True)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    run_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "run_at", "id"]


class PartDecision(models.Model):
    """The warranty engine's answer for one part judged faulty, as it stood when decided."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="part_decisions")
    part = models.CharField(max_length=32)
    covered = models.BooleanField()
    pack = models.CharField(max_length=100)
    decision = models.JSONField()
    decided_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "part"], name="part_decision_unique")]


class DamageStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class DamageDetermination(models.Model):
    """Customer-induced damage: proposed by whoever inspects, decided only by the maker's staff.
    A decision lists every photo it considered, the customer's own photos included."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="damage")
    code = models.CharField(_("exclusion"), max_length=32)
    part = models.CharField(_("part"), max_length=32, blank=True)
    explanation = models.TextField(_("what was found, in plain words"))
    status = models.CharField(max_length=16, choices=DamageStatus.choices, default=DamageStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    considered_evidence = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["case", "proposed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="proposed", decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(status="proposed") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="damage_decided_fields"),
        ]


# --- repair -------------------------------------------------------------------------------------
class PartUsage(models.Model):
    """A part fitted during repair. The part it replaced becomes the maker's property (seed 002
    §1 (9)); ``returned_to_stock_at`` records when it went back."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parts_used")
    part = models.CharField(_("part"), max_length=32)
    new_serial = models.CharField(_("serial of the part fitted"), max_length=64, blank=True)
    old_serial = models.CharField(_("serial of the part removed"), max_length=64, blank=True)
    covered = models.BooleanField(_("under warranty"))
    fitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    fitted_at = models.DateTimeField()
    returned_to_stock_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["case", "fitted_at", "id"]


# --- return, advance shipment, follow-ups -------------------------------------------------------------
class Shipment(models.Model):
    """A device leaving the centre by carrier."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shipments")
    carrier = models.CharField(_("carrier"), max_length=64)
    tracking = models.CharField(_("tracking number"), max_length=64)
    shipped_at = models.DateTimeField()
    shipped_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    delivered_at = models.DateTimeField(null=True, blank=True)


class AdvanceShipment(models.Model):
    """A replacement sent before the customer's device comes in (seed 000 item 3): the customer
    keeps working, and sends the faulty device back by ``return_by``."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="advance")
    replacement_serial = models.CharField(_("replacement serial number"), max_length=32)
    carrier = models.CharField(_("carrier"), max_length=64)
    tracking = models.CharField(_("tracking number"), max_length=64)
    shipped_at = models.DateTimeField()
    return_by = models.DateField(_("return the faulty device by"))
    shipped_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")


class FollowUp(models.Model):
    """The customer said a message was unclear: a task for staff to call or write back."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    about = models.CharField(max_length=64, blank=True, help_text="what was unclear, e.g. quotation:12")
    message = models.TextField(blank=True)
    opened_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolution = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["resolved_at", "opened_at"], name="follow_up_open")]


class CustomerMessage(models.Model):
    """A reply from the customer: any length (seed 000: replies were once cut at 100 characters)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    text = models.TextField()
    at = models.DateTimeField()

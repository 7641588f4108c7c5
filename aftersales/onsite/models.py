"""On-site service: technicians' working time, visits booked into it, loaner devices, and the
VIP counters of the devices that have them.

A technician can never be double-booked. A visit blocks its technician from its start to
``blocked_until`` (its end plus the travel buffer to the next site); on PostgreSQL an exclusion
constraint over (technician, [starts_at, blocked_until)) refuses any overlap among live visits
(migration 0002, with btree_gist). On SQLite every transaction takes the write lock when it
begins (settings: ``transaction_mode = IMMEDIATE``), so the booking service's check for an
overlap and its insert cannot interleave with another booking's.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from aftersales.core.money import CURRENCY_CHOICES


class WorkingHours(models.Model):
    """A technician's usual hours on one weekday at one centre (a day may have several spans)."""

    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="working_hours",
                                   verbose_name=_("technician"))
    centre = models.ForeignKey("centres.ServiceCentre", on_delete=models.CASCADE, related_name="working_hours",
                               verbose_name=_("service centre"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), help_text=_("0 is Monday, 6 is Sunday."))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        ordering = ["technician", "weekday", "starts"]
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday_in_week"),
            models.CheckConstraint(condition=Q(starts__lt=F("ends")), name="hours_end_after_start"),
        ]


class Absence(models.Model):
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences",
                                   verbose_name=_("technician"))
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        ordering = ["technician", "starts_at"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="absence_end_after_start")]
        indexes = [models.Index(fields=["technician", "ends_at"], name="absence_by_technician")]


class VisitStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ON_SITE = "on-site", _("Technician on site")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


LIVE = (VisitStatus.BOOKED, VisitStatus.ON_SITE, VisitStatus.DONE)


class Purpose(models.TextChoices):
    REPAIR = "repair", _("Repair")
    CLEANING = "cleaning", _("On-site cleaning (VIP)")
    SOFTWARE = "software-visit", _("Software visit (VIP)")


class Visit(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    centre = models.ForeignKey("centres.ServiceCentre", on_delete=models.PROTECT, related_name="visits",
                               verbose_name=_("service centre"))
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits",
                                   verbose_name=_("technician"))
    status = models.CharField(_("status"), max_length=16, choices=VisitStatus.choices, default=VisitStatus.BOOKED)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices, default=Purpose.REPAIR)
    starts_at = models.DateTimeField(_("arrival from"))
    arrives_by = models.DateTimeField(_("arrival by"))
    ends_at = models.DateTimeField(_("ends"))
    blocked_until = models.DateTimeField(_("technician free again"))
    evening = models.BooleanField(_("evening visit"))
    # Where: an address, the city it lies in or near, and the point the distances were taken from.
    address = models.CharField(_("address"), max_length=255)
    city = models.ForeignKey("centres.City", null=True, blank=True, on_delete=models.PROTECT,
                             verbose_name=_("nearest county-level city"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    km_from_centre = models.DecimalField(_("distance from the service centre (km)"), max_digits=8, decimal_places=2)
    km_measured = models.BooleanField(_("distance measured by staff"), default=False)
    km_to_city = models.DecimalField(_("distance to the nearest county-level city (km)"), max_digits=8,
                                     decimal_places=2, null=True, blank=True)
    free_onsite = models.BooleanField(_("free on-site"))
    # The trip fee: empty until a person agrees it, when the terms leave it to agreement.
    trip_fee = models.DecimalField(_("trip fee"), max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    fee_agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("trip fee agreed by"))
    fee_explanation = models.JSONField(_("trip fee explained"), default=dict)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    confirmed_by = models.CharField(_("confirmed by the customer"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("booked at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("booked by"))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")) & Q(ends_at__lte=F("blocked_until"))
                                   & Q(starts_at__lte=F("arrives_by")) & Q(arrives_by__lte=F("ends_at")),
                                   name="visit_times_in_order"),
            models.CheckConstraint(condition=Q(trip_fee__gte=0) | Q(trip_fee__isnull=True),
                                   name="visit_fee_not_negative"),
            models.CheckConstraint(condition=Q(currency__in=[c for c, _ in CURRENCY_CHOICES]),
                                   name="visit_currency_known"),
        ]
        indexes = [
            models.Index(fields=["technician", "starts_at"], name="visit_by_technician"),
            models.Index(fields=["centre", "starts_at"], name="visit_day_board"),
        ]


class VisitLine(models.Model):
    """One machine the visit sees: a device and the repair case it belongs to."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="lines")
    case = models.ForeignKey("repairs.Case", on_delete=models.PROTECT, related_name="visit_lines")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "case"], name="visit_line_once")]


class VipUsage(models.Model):
    """How many of a device's VIP visits were used; never below zero."""

    device = models.OneToOneField("warranty.Device", on_delete=models.CASCADE, related_name="vip_usage")
    cleaning = models.PositiveSmallIntegerField(_("on-site cleanings used"), default=0)
    software_visit = models.PositiveSmallIntegerField(_("software visits used"), default=0)

    class Meta:
        verbose_name = _("VIP visits used")
        verbose_name_plural = _("VIP visits used")
        constraints = [models.CheckConstraint(condition=Q(cleaning__gte=0) & Q(software_visit__gte=0),
                                              name="vip_usage_not_negative")]


class LoanerStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    ISSUED = "issued", _("Lent out")
    RETIRED = "retired", _("Retired")


class Loaner(models.Model):
    centre = models.ForeignKey("centres.ServiceCentre", on_delete=models.PROTECT, related_name="loaners",
                               verbose_name=_("service centre"))
    tag = models.CharField(_("asset tag"), max_length=32, unique=True)
    model = models.CharField(_("model"), max_length=64)
    serial = models.CharField(_("serial number"), max_length=32, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=LoanerStatus.choices,
                              default=LoanerStatus.AVAILABLE)

    class Meta:
        ordering = ["centre", "tag"]
        verbose_name = _("loaner device")
        verbose_name_plural = _("loaner devices")

    def __str__(self):
        return f"{self.tag} — {self.model}"


class Loan(models.Model):
    """A loaner lent to a customer for one case, until it is given back."""

    loaner = models.ForeignKey(Loaner, on_delete=models.PROTECT, related_name="loans")
    case = models.ForeignKey("repairs.Case", on_delete=models.PROTECT, related_name="loans")
    issued_at = models.DateTimeField(_("lent"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField(_("given back"), null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["loaner"], condition=Q(returned_at__isnull=True),
                                    name="loaner_lent_once_at_a_time"),
            models.UniqueConstraint(fields=["case"], condition=Q(returned_at__isnull=True),
                                    name="one_loaner_per_case"),
            models.CheckConstraint(condition=Q(returned_at__isnull=True) | Q(returned_at__gte=F("issued_at")),
                                   name="loan_returned_after_lent"),
        ]

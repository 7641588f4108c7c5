"""Self-repair orders, their timeline, the diagnostic tool's results, and the excluded models.

- ``Order``: one part sent to a customer against a deposit (a CSR order), from application to
  refund or purchase. Its ``number`` is random (not counted up), so numbers cannot be guessed;
  the status page asks for it together with the e-mail or phone given at application.
- ``OrderEvent``: every status change, with who and when: the order's timeline.
- ``DiagnosticResult``: a result posted by the maker's diagnostic tool, signed; its ``nonce`` is
  unique, so a result replayed is refused by the database as well as the code. A result that
  confirmed a fault lets its owner apply, once (``order``).
- ``ExcludedModel``: notebook models the programme does not serve (administrators keep the list).
- ``CarrierScan``: a carrier's scan of one of an order's parcels (the part sent, or the return),
  posted signed; its ``event_id`` is unique, so the carrier may send one event again safely.
  ``CarrierNonce``: every signed carrier request taken, once (``csr.carrier``).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aftersales.core.money import CURRENCIES, CURRENCY_CHOICES
from aftersales.csr.status import Status


class DiagnosticResult(models.Model):
    class Outcome(models.TextChoices):
        FAULT = "fault-confirmed", _("Fault confirmed")
        NO_FAULT = "no-fault", _("No fault found")

    serial = models.CharField(_("serial number"), max_length=32, db_index=True)
    part = models.CharField(_("part"), max_length=32)
    test_id = models.CharField(_("test"), max_length=64)
    outcome = models.CharField(_("result"), max_length=16, choices=Outcome.choices)
    tested_at = models.DateTimeField(_("tested at"))
    nonce = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("diagnostic result")
        constraints = [models.CheckConstraint(condition=Q(outcome__in=["fault-confirmed", "no-fault"]),
                                              name="csr_diagnostic_outcome_known")]


class ExcludedModel(models.Model):
    model = models.CharField(_("model"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("model excluded from self-repair")

    def __str__(self):
        return self.model


class Order(models.Model):
    number = models.CharField(_("self-repair number"), max_length=16, unique=True)
    request_key = models.CharField(max_length=64, unique=True)  # the application form's, against double posts
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    serial = models.CharField(_("serial number"), max_length=32)
    model = models.CharField(_("model"), max_length=64)
    part = models.CharField(_("part"), max_length=32)
    country = models.CharField(_("country"), max_length=2)
    customer_name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.TextField(_("shipping address"))
    language = models.CharField(_("language"), max_length=8)
    applied_on = models.DateField(_("applied on"))
    return_due_on = models.DateField(_("return due on"))
    deposit = models.DecimalField(_("deposit"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    payment = models.OneToOneField("payments.Payment", models.PROTECT, related_name="+")
    hold = models.OneToOneField("ledger.Transfer", models.PROTECT, related_name="+")
    diagnostic = models.OneToOneField(DiagnosticResult, models.PROTECT, related_name="order")
    outbound_tracking = models.CharField(_("tracking number of the part sent"), max_length=40, blank=True)
    return_tracking = models.CharField(_("tracking number of the return"), max_length=40)
    # the pack version (id@version) whose self-repair terms granted the order, and the clauses applied
    pack = models.CharField(_("policy version"), max_length=120, blank=True)
    clauses = models.JSONField(_("clauses applied"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("self-repair order")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="csr_order_status_known"),
            models.CheckConstraint(condition=Q(deposit__gt=0), name="csr_order_deposit_positive"),
            models.CheckConstraint(condition=Q(currency__in=sorted(CURRENCIES)), name="csr_order_currency"),
            models.CheckConstraint(condition=~Q(email="") | ~Q(phone=""), name="csr_order_contact"),
        ]

    def __str__(self):
        return self.number


class OrderEvent(models.Model):
    order = models.ForeignKey(Order, models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.CharField(_("by"), max_length=64)  # a user name, "customer", "carrier" or "system"
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("self-repair event")


class CarrierScan(models.Model):
    class Event(models.TextChoices):
        PICKED_UP = "picked-up", _("Picked up by the carrier")
        IN_TRANSIT = "in-transit", _("In transit")
        DELIVERED = "delivered", _("Delivered")

    class Leg(models.TextChoices):
        OUTBOUND = "outbound", _("Part sent to the customer")
        RETURN = "return", _("Defective part on its way back")

    event_id = models.CharField(max_length=64, unique=True)  # the carrier's own id of the event
    order = models.ForeignKey(Order, models.PROTECT, related_name="scans")
    leg = models.CharField(_("leg"), max_length=8, choices=Leg.choices)
    tracking = models.CharField(_("tracking number"), max_length=40)
    event = models.CharField(_("event"), max_length=12, choices=Event.choices)
    scanned_at = models.DateTimeField(_("scanned at"))
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        ordering = ["scanned_at", "id"]
        verbose_name = _("carrier scan")
        constraints = [models.CheckConstraint(condition=Q(event__in=["picked-up", "in-transit", "delivered"]),
                                              name="csr_scan_event_known"),
                       models.CheckConstraint(condition=Q(leg__in=["outbound", "return"]), name="csr_scan_leg_known")]


class CarrierNonce(models.Model):
    nonce = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField()

"""Messages to customers: one row per message, written in the same transaction as the change
it reports and sent after that transaction commits.

``key`` names the occasion (``R7KM9Q2T5WX4:collect-1``): the database keeps it unique, so a
message for one occasion is written at most once however often the code that writes it runs.
A worker sends a message only after claiming it (``status`` from waiting or failed to
``sending``, with ``claimed_at``), which one worker at a time can do, so it is sent at most once;
a claim whose worker never reports back lapses after a lease (``services.LEASE``).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")


class Delivery(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Sending failed")


class Notification(models.Model):
    key = models.CharField(_("occasion"), max_length=120, unique=True)
    case = models.ForeignKey("repairs.Case", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="notifications", verbose_name=_("repair case"))
    template = models.CharField(_("template"), max_length=40)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Delivery.choices, default=Delivery.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # When a worker last claimed the message for sending; the claim lapses a lease later.
    claimed_at = models.DateTimeField(_("sending started at"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)
    # E-mails that close the work on a case carry its repair report (PDF, in the message's language),
    # rendered when the message is sent so it shows the case as it then stands.
    attach_report = models.BooleanField(_("attach the repair report"), default=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["case", "created_at"], name="notification_case")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Delivery.values), name="notification_status_known"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="notification_channel_known"),
            models.CheckConstraint(condition=Q(status=Delivery.SENT, sent_at__isnull=False)
                                   | (~Q(status=Delivery.SENT) & Q(sent_at__isnull=True)),
                                   name="notification_sent_at_iff_sent"),
            models.CheckConstraint(condition=~Q(status=Delivery.SENDING) | Q(claimed_at__isnull=False),
                                   name="notification_sending_claimed"),
        ]

    def __str__(self):
        return f"{self.key} ({self.status})"

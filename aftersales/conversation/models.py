"""The conversation on a case: one thread of messages between the service centre and the customer.

Design overview: a ``Message`` is written once by ``services.message_post`` and never changed. It
says who wrote it (``author_kind``: the centre's staff or the customer; ``author`` is the account,
when there is one), in which language, and who may read it (``visibility``): a message for the
customer is shown on their case page and e-mailed to them; an internal note is for the centre's
staff only and never leaves the console. Files travel as ``attachments``: ordinary case evidence,
checked and kept by the evidence pipeline, so a photo sent in a message is also on the case's
evidence list (and shown to the customer exactly when the message is). ``about`` and ``quote``
keep what a message answers when the customer pressed "I don't understand" beside an explanation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AuthorKind(models.TextChoices):
    STAFF = "staff", _("Service centre")
    CUSTOMER = "customer", _("Customer")


class Visibility(models.TextChoices):
    CUSTOMER = "customer", _("Shown to the customer")
    INTERNAL = "internal", _("Internal note, staff only")


class Message(models.Model):
    case = models.ForeignKey("repairs.Case", on_delete=models.PROTECT, related_name="conversation",
                             verbose_name=_("repair case"))
    author_kind = models.CharField(_("written by"), max_length=8, choices=AuthorKind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("author"))
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("written at"))
    language = models.CharField(_("language"), max_length=8)
    visibility = models.CharField(_("who reads it"), max_length=8, choices=Visibility.choices,
                                  default=Visibility.CUSTOMER)
    about = models.CharField(_("about"), max_length=64, blank=True)
    quote = models.TextField(_("quoted text"), blank=True)
    attachments = models.ManyToManyField("evidence.Evidence", blank=True, related_name="messages",
                                         verbose_name=_("attached files"))

    class Meta:
        ordering = ["case", "created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["case", "created_at", "id"], name="message_thread")]
        constraints = [
            models.CheckConstraint(condition=Q(author_kind__in=AuthorKind.values), name="message_author_known"),
            models.CheckConstraint(condition=Q(visibility__in=Visibility.values), name="message_visibility_known"),
            models.CheckConstraint(condition=~Q(body=""), name="message_not_empty"),
            # What a customer writes is read by the centre and by them: there are no customer notes.
            models.CheckConstraint(condition=~Q(author_kind=AuthorKind.CUSTOMER, visibility=Visibility.INTERNAL),
                                   name="message_customer_not_internal"),
        ]

    def __str__(self):
        return f"{self.case_id} {self.author_kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def internal(self) -> bool:
        return self.visibility == Visibility.INTERNAL

"""Customer accounts: the e-mailed one-time sign-in links, the e-mail addresses an account has
proved it reads, and the phone numbers it has proved it holds (a texted code, ``phones``).

A ``SignInLink`` keeps only the SHA-256 hash of its token, so the table alone opens no account;
the token itself exists only in the e-mail. A link is used once and lapses after a short time
(``links.LINK_LIFETIME``). A ``VerifiedEmail`` is written when a link sent to that address is
used: opening the link proves the person reads that mailbox, which is what lets the cases booked
with that address before the account existed join it (``links.cases_attach``).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class SignInLink(models.Model):
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["email", "created_at"], name="signinlink_email_recent")]
        constraints = [models.CheckConstraint(condition=Q(expires_at__gt=F("created_at")),
                                              name="signinlink_expires_after_creation")]


class VerifiedEmail(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verified_emails")
    email = models.EmailField(unique=True)  # stored lower-cased: one account per address
    verified_at = models.DateTimeField()


class PhoneCode(models.Model):
    """A one-time code texted to a phone number a signed-in customer gave (``phones``). Only its
    keyed hash is kept; it works once, for a short time, and a few wrong tries spend it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(max_length=32)  # as the customer typed it
    digits = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="phonecode_user_recent")]
        constraints = [models.CheckConstraint(condition=Q(expires_at__gt=F("created_at")),
                                              name="phonecode_expires_after_creation")]


class VerifiedPhone(models.Model):
    """A phone number an account proved it holds by typing the code texted to it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verified_phones")
    digits = models.CharField(max_length=20, unique=True)  # the number's digits: one account per number
    phone = models.CharField(max_length=32)
    verified_at = models.DateTimeField()

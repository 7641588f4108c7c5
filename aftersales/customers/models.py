"""Customer accounts: the e-mailed one-time sign-in links, and the e-mail addresses an account
has proved it reads.

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

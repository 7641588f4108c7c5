from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: staff of every role, and customers who keep an account.

    Staff, third-party technicians and verifiers work the cases of the service centres they
    belong to (``centres``, one or more); which centres a person reads is decided in
    ``accounts.scope``."""

    phone = models.CharField(_("phone"), max_length=32, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=[("en", "English"), ("zh-hans", "简体中文")],
        default="en",
    )
    centres = models.ManyToManyField(
        "centres.ServiceCentre", blank=True, related_name="staff", verbose_name=_("service centres"),
        help_text=_("Staff, technicians and verifiers see only the cases of these centres."),
    )

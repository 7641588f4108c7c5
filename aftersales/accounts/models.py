from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: staff of every role, and customers who keep an account."""

    phone = models.CharField(_("phone"), max_length=32, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=[("en", "English"), ("zh-hans", "简体中文")],
        default="en",
    )
    service_centre = models.ForeignKey(
        "centres.ServiceCentre", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="staff", verbose_name=_("service centre"),
    )

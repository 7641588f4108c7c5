"""Service centres: where devices are received, repaired and collected."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from aftersales.policy.vocabulary import Region


class ServiceCentre(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    region = models.CharField(_("region"), max_length=2, choices=Region.choices)
    city = models.CharField(_("city"), max_length=80)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64)
    # Seed 000: US and Canadian centres film inbound and outbound parcels; elsewhere optional.
    requires_parcel_media = models.BooleanField(_("requires inbound/outbound photos or video"), default=False)

    class Meta:
        ordering = ["region", "city", "code"]
        verbose_name = _("service centre")
        verbose_name_plural = _("service centres")

    def __str__(self):
        return f"{self.code} — {self.name_en}"

    def name(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") else self.name_en

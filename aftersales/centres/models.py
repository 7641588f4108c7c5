"""Service centres, where devices are received, repaired and collected; and the places (county-level
and larger cities) whose distance from a site decides free on-site service.

Coordinates are degrees (WGS-84) to six decimal places, about 0.1 m: the database refuses any
outside the globe.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aftersales.policy.vocabulary import Region

_ON_THE_GLOBE = Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180)


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
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["region", "city", "code"]
        verbose_name = _("service centre")
        verbose_name_plural = _("service centres")
        constraints = [
            models.CheckConstraint(condition=_ON_THE_GLOBE | Q(latitude__isnull=True, longitude__isnull=True),
                                   name="centre_on_the_globe"),
        ]

    def __str__(self):
        return f"{self.code} — {self.name_en}"

    def name(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") else self.name_en


class CityLevel(models.TextChoices):
    """China's administrative levels of city: all count as "county-level or larger"."""

    COUNTY = "county", _("county-level city or district")
    PREFECTURE = "prefecture", _("prefecture-level city")
    PROVINCE = "province", _("municipality or provincial capital")


class City(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    region = models.CharField(_("region"), max_length=2, choices=Region.choices)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    level = models.CharField(_("level"), max_length=16, choices=CityLevel.choices)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)

    class Meta:
        ordering = ["region", "code"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        constraints = [models.CheckConstraint(condition=_ON_THE_GLOBE, name="city_on_the_globe")]
        indexes = [models.Index(fields=["region", "latitude"], name="city_by_latitude")]

    def __str__(self):
        return f"{self.name_en} ({self.name_zh})"

    def name(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") else self.name_en

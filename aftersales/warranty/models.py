"""Warranty data: loaded policy packs and the serial registry.

A ``PolicyPack`` row keeps the exact file text an administrator loaded, so every decision's
``pack`` label (``id@version``) can be traced to the words that produced it. Packs are never
edited in place: a change is a new version with its own effective date.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from aftersales.policy.vocabulary import Region
from aftersales.policy.vocabulary import PRODUCT_LINES

PRODUCT_LINE_CHOICES = [(k, v[0]) for k, v in PRODUCT_LINES.items()]


class PolicyPack(models.Model):
    pack_id = models.SlugField(_("pack"), max_length=64)
    version = models.CharField(_("version"), max_length=32)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    product_lines = models.JSONField(_("product lines"), default=list)
    regions = models.JSONField(_("regions"), default=list)
    source_text = models.TextField(_("pack file"))
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"))
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, verbose_name=_("loaded by"))

    class Meta:
        ordering = ["pack_id", "-effective_from"]
        verbose_name = _("policy pack")
        verbose_name_plural = _("policy packs")
        constraints = [
            models.UniqueConstraint(fields=["pack_id", "version"], name="policy_pack_version_unique"),
            models.UniqueConstraint(fields=["pack_id", "effective_from"], name="policy_pack_from_unique"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="policy_pack_valid_range"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{self.pack_id}@{self.version}"


class Device(models.Model):
    """One row of the serial registry: what the factory and the sales channel know of a unit."""

    serial = models.CharField(_("serial number"), max_length=32, unique=True)
    model = models.CharField(_("model"), max_length=64)
    product_line = models.CharField(_("product line"), max_length=16, choices=PRODUCT_LINE_CHOICES)
    manufactured_on = models.DateField(_("manufactured on"))
    shipped_on = models.DateField(_("shipped on"), null=True, blank=True)
    sold_in = models.CharField(_("sold in"), max_length=2, choices=Region.choices)

    class Meta:
        ordering = ["serial"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        constraints = [
            models.CheckConstraint(
                condition=Q(shipped_on__isnull=True) | Q(shipped_on__gte=F("manufactured_on")),
                name="device_shipped_after_made"),
        ]

    def __str__(self):
        return f"{self.serial} ({self.model})"


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    REFUSED = "refused", _("Nothing imported")
    FAILED = "failed", _("Stopped by a fault")


IMPORT_FINISHED = frozenset({ImportState.DONE, ImportState.REFUSED, ImportState.FAILED})


class RegistryImport(models.Model):
    """One registry file imported in the background (``registry_imports``): the file until the
    run ends, how far the run has come, and what it found. ``rows_done`` counts rows checked, of
    ``rows_total``; ``errors`` keeps the first ``registry_imports.ERRORS_KEPT`` row errors in both
    languages, ``error_rows`` how many rows had one."""

    file_name = models.CharField(_("file"), max_length=255)
    data = models.BinaryField(_("file contents"), blank=True)  # emptied when the run ends
    state = models.CharField(_("state"), max_length=8, choices=ImportState.choices, default=ImportState.QUEUED)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("new devices"), default=0)
    updated = models.PositiveIntegerField(_("updated devices"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    refusal_en = models.TextField(blank=True)  # a whole file refused: not text, no header, a fault
    refusal_zh = models.TextField(blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("started by"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("registry import")
        verbose_name_plural = _("registry imports")
        constraints = [
            models.CheckConstraint(condition=Q(rows_done__lte=F("rows_total")), name="registry_import_done_le_total"),
        ]

    @property
    def finished(self) -> bool:
        return self.state in IMPORT_FINISHED

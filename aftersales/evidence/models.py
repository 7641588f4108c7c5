"""Photos, video and documents attached to repair cases.

Design overview: a piece of ``Evidence`` is one file on the default storage (the filesystem, or
S3 in production) plus what we know about it — what it shows (``kind``), what it really is
(``content_type``, sniffed from its bytes, never the browser's word), its size, SHA-256 and, for
photos, its dimensions. ``services.evidence_add`` is the only way in: it refuses anything that is
not a photo, a video or a PDF we can vouch for, strips photo metadata (GPS and all) and writes a
timeline event. Files are never public: ``views.evidence_file`` hands them to staff-side roles
of the case's centre only (``accounts.scope``), by a random ``public_id`` — never by the row's
sequential id, which would let anyone count and walk the files. The customer's own photos sit beside the centre's inbound evidence (seed 000); US and
Canadian centres must film or photograph inbound and outbound parcels, which
``selectors.parcel_media_missing`` checks when a case is received or shipped.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aftersales.evidence.sniff import BY_CONTENT_TYPE, DOCUMENT


class EvidenceKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer's own photo")
    INBOUND = "inbound", _("Inbound parcel")
    OUTBOUND = "outbound", _("Outbound parcel")
    DAMAGE = "damage", _("Damage")
    PROOF = "proof", _("Proof of purchase")
    VISIT = "visit", _("On-site visit")
    OTHER = "other", _("Other")


def evidence_path(instance: Evidence, filename: str) -> str:
    """``evidence/<case number>/<random><ext>``, the extension following the sniffed type: the
    uploader's file name never reaches the path, it is only kept for display."""
    extension = BY_CONTENT_TYPE[instance.content_type].extension
    return f"evidence/{instance.case.number}/{uuid.uuid4().hex}{extension}"


class Evidence(models.Model):
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("repairs.Case", on_delete=models.PROTECT, related_name="evidence",
                             verbose_name=_("repair case"))
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=64)
    size = models.BigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"))
    description = models.TextField(_("description"), blank=True)
    customer_visible = models.BooleanField(_("shown to the customer"), default=True)

    class Meta:
        ordering = ["case", "uploaded_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        indexes = [models.Index(fields=["case", "kind", "uploaded_at"], name="evidence_by_case_kind")]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="evidence_size_positive"),
            models.CheckConstraint(condition=Q(kind__in=EvidenceKind.values), name="evidence_kind_known"),
            models.CheckConstraint(condition=Q(content_type__in=sorted(BY_CONTENT_TYPE)),
                                   name="evidence_content_type_known"),
            models.UniqueConstraint(fields=["case", "sha256", "kind"], name="evidence_unique_per_kind"),
        ]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.original_name}"

    @property
    def media(self) -> str:
        """"image", "video" or "document"."""
        known = BY_CONTENT_TYPE.get(self.content_type)
        return known.media if known else DOCUMENT

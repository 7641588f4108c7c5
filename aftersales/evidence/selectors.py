"""Reads of case evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from aftersales.evidence.models import Evidence, EvidenceKind

if TYPE_CHECKING:
    from aftersales.repairs.models import Case

_PHOTO_OR_VIDEO = Q(content_type__startswith="image/") | Q(content_type__startswith="video/")


def evidence_for_case(case: Case, *, customer_view: bool) -> QuerySet[Evidence]:
    """The case's evidence, oldest first; the customer sees only what is marked visible to them."""
    rows = Evidence.objects.filter(case=case).select_related("uploaded_by").order_by("uploaded_at", "id")
    return rows.filter(customer_visible=True) if customer_view else rows


def parcel_media_missing(case: Case, kind: str) -> bool:
    """True when the case's centre must photograph or film parcels (seed 000: US and Canada) and
    the case has no photo or video of ``kind`` (inbound or outbound) yet."""
    if kind not in (EvidenceKind.INBOUND, EvidenceKind.OUTBOUND):
        raise ValueError(f"parcel media are inbound or outbound, not {kind!r}")
    if not case.centre.requires_parcel_media:
        return False
    return not Evidence.objects.filter(_PHOTO_OR_VIDEO, case=case, kind=kind).exists()

"""Seed 000: US and Canadian centres photograph or film each parcel as it is opened on arrival
and again before it goes back. ``repairs.services.case_transition`` asks here before a case is
received or shipped, so the rule cannot be skipped by any page or endpoint."""

from __future__ import annotations

from aftersales.core.errors import Conflict
from aftersales.evidence.models import EvidenceKind
from aftersales.evidence.selectors import parcel_media_missing
from aftersales.repairs.models import Case
from aftersales.repairs.status import Status

# Any move into these statuses needs the parcel media of that kind (shipping from storage too).
MEDIA_FOR_MOVE = {Status.RECEIVED: EvidenceKind.INBOUND, Status.SHIPPED: EvidenceKind.OUTBOUND}


def parcel_media_refusal(case: Case, to: str) -> Conflict | None:
    """The refusal to raise when moving ``case`` to ``to`` lacks the parcel's photos or video."""
    kind = MEDIA_FOR_MOVE.get(to)
    if kind is None or not parcel_media_missing(case, kind):
        return None
    if kind == EvidenceKind.INBOUND:
        en = (f"This service centre photographs or films every parcel as it is opened: add an inbound photo "
              f"or video before marking case {case.number} received.")
        zh = f"本服务中心须在拆包收件时拍照或录像：请先添加收件照片或视频，再将维修单 {case.number} 标为已收到。"
    else:
        en = (f"This service centre photographs or films every parcel before it goes back: add an outbound "
              f"photo or video before marking case {case.number} shipped.")
        zh = f"本服务中心须在寄回前为包裹拍照或录像：请先添加寄出照片或视频，再将维修单 {case.number} 标为已寄出。"
    return Conflict("parcel-media-required", en, zh, field="status")

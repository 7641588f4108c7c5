"""The timeline event written for each piece of evidence, in English and Chinese (through the
timeline's one writer, ``repairs.events.record``)."""

from __future__ import annotations

import datetime as dt

from aftersales.evidence.models import Evidence, EvidenceKind
from aftersales.evidence.sniff import IMAGE, VIDEO
from aftersales.repairs.events import record
from aftersales.repairs.models import CaseEvent, EventKind

_KIND_WORDS = {
    EvidenceKind.CUSTOMER: ("Customer", "客户"),
    EvidenceKind.INBOUND: ("Inbound", "收件"),
    EvidenceKind.OUTBOUND: ("Outbound", "寄出"),
    EvidenceKind.DAMAGE: ("Damage", "损坏"),
    EvidenceKind.PROOF: ("Proof-of-purchase", "购买凭证"),
    EvidenceKind.OTHER: ("", ""),
}
_MEDIA_WORDS = {IMAGE: ("photo", "照片"), VIDEO: ("video", "视频")}
_DOCUMENT_WORDS = ("document", "文件")


def summary(kind: str, media: str) -> tuple[str, str]:
    """("Inbound photo added", "已添加收件照片") and the like."""
    kind_en, kind_zh = _KIND_WORDS[kind]
    media_en, media_zh = _MEDIA_WORDS.get(media, _DOCUMENT_WORDS)
    en = f"{kind_en} {media_en} added".strip()
    return en[0].upper() + en[1:], f"已添加{kind_zh}{media_zh}"


def evidence_added(evidence: Evidence, at: dt.datetime, actor) -> CaseEvent:
    en, zh = summary(evidence.kind, evidence.media)
    return record(evidence.case, EventKind.EVIDENCE_ADDED, at=at, actor=actor, en=en, zh=zh,
                  visible=evidence.customer_visible,
                  data={"evidence": evidence.pk, "kind": evidence.kind, "content_type": evidence.content_type,
                        "size": evidence.size, "sha256": evidence.sha256})

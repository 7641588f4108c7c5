"""The case timeline's one writer: ``record`` writes one ``CaseEvent`` row, and each typed
function below words one kind of event in English and Chinese and records it (evidence records
its own kind through ``record`` too). Recording does nothing else: what follows from an event —
a notice to the customer, a timer — is looked up in ``repairs.reactions`` by whoever records it
(``case_transition`` for every status change)."""

from __future__ import annotations

import datetime as dt

from aftersales.accounts.roles import SYSTEM_ACTOR, primary_role
from aftersales.evidence.models import EvidenceKind
from aftersales.evidence.sniff import IMAGE, VIDEO
from aftersales.policy.vocabulary import PARTS
from aftersales.repairs.models import Case, CaseEvent, EventKind
from aftersales.repairs.numbers import display
from aftersales.repairs.status import Status, status_sentence
from aftersales.warranty.packs import pack_name
from aftersales.warranty.rules.explain import EXCLUSION_FINDINGS


def record(case: Case, kind: str, *, at: dt.datetime, actor, en: str, zh: str, visible: bool = True,
           from_status: str = "", to_status: str = "", data: dict | None = None) -> CaseEvent:
    """Write one timeline row. ``actor`` is the user who acted (None for a customer without an
    account, ``SYSTEM_ACTOR`` for the product's timers)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return CaseEvent.objects.create(case=case, kind=kind, at=at, actor=user, actor_role=primary_role(actor),
                                    from_status=from_status, to_status=to_status, customer_visible=visible,
                                    summary_en=en, summary_zh=zh, data=data or {})


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def booked(case: Case, at: dt.datetime, actor) -> CaseEvent:
    n = case.symptoms.count()
    return record(case, EventKind.BOOKED, at=at, actor=actor, to_status=Status.BOOKED,
                  en=f"Case {display(case.number)} booked for {case.model} ({case.serial}); "
                     f"{_count(n, 'reported fault', 'reported faults')}.",
                  zh=f"已预约维修单 {display(case.number)}：{case.model}（{case.serial}），报修故障 {n} 项。")


def status_changed(case: Case, old: str, new: str, at: dt.datetime, actor,
                   note: str | tuple[str, str] = "") -> CaseEvent:
    """``note``: what the person who moved the case added (one text), or the product's own
    explanation in English and Chinese."""
    en, zh = status_sentence(new)
    note_en, note_zh = (note, note) if isinstance(note, str) else note
    return record(case, EventKind.STATUS_CHANGED, at=at, actor=actor, from_status=old, to_status=new,
                  en=f"{en} {note_en}".strip(), zh=f"{zh}{note_zh}")


def warranty_decided(case: Case, at: dt.datetime, actor, decision: dict) -> CaseEvent:
    covered = decision["covered"]
    return record(case, EventKind.WARRANTY_DECIDED, at=at, actor=actor,
                  en=("Covered by the warranty" if covered else "Not covered free of charge")
                  + f" ({pack_name(decision['pack'], zh=False)}).",
                  zh=("在保修范围内" if covered else "不属于免费保修") + f"（{pack_name(decision['pack'], zh=True)}）。",
                  data={"covered": covered, "pack": decision["pack"], "clauses": decision.get("clauses", [])})


def note(case: Case, at: dt.datetime, actor, text: str, *, visible: bool) -> CaseEvent:
    return record(case, EventKind.NOTE, at=at, actor=actor, en=text, zh=text, visible=visible)


def finding_recorded(case: Case, at: dt.datetime, actor, symptom, finding) -> CaseEvent:
    return record(case, EventKind.FINDING_RECORDED, at=at, actor=actor,
                  en=f"Fault {symptom.position} (“{symptom.text[:80]}”): {finding.text}",
                  zh=f"故障 {symptom.position}（“{symptom.text[:80]}”）：{finding.text}",
                  data={"position": symptom.position, "outcome": finding.outcome, "part": finding.part})


def test_run(case: Case, at: dt.datetime, actor, run) -> CaseEvent:
    en_result, zh_result = ("passed", "通过") if run.passed else ("failed", "未通过")
    return record(case, EventKind.TEST_RUN, at=at, actor=actor, en=f"Test “{run.name}”: {en_result}.",
                  zh=f"测试“{run.name}”：{zh_result}。",
                  data={"stage": run.stage, "passed": run.passed, "symptom": run.symptom_id})


def damage_proposed(case: Case, at: dt.datetime, actor, proposal) -> CaseEvent:
    # Internal until staff decide: a proposal is not a finding the customer is held to.
    what_en, what_zh = EXCLUSION_FINDINGS.get(proposal.code, ("damage", "损坏"))
    return record(case, EventKind.DAMAGE_PROPOSED, at=at, actor=actor, visible=False,
                  en=f"Damage proposed for review ({what_en}): {proposal.explanation}",
                  zh=f"提交人为损坏审核（{what_zh}）：{proposal.explanation}",
                  data={"determination": proposal.pk, "code": proposal.code})


def damage_decided(case: Case, at: dt.datetime, actor, proposal) -> CaseEvent:
    if proposal.status == "confirmed":
        en = (f"Our staff found damage that the free warranty does not cover: {proposal.explanation} "
              f"Reason: {proposal.decision_note}")
        zh = f"经我方员工认定，存在不属于免费保修的损坏：{proposal.explanation}理由：{proposal.decision_note}"
    else:
        en = f"Our staff reviewed a possible damage finding and rejected it: {proposal.decision_note}"
        zh = f"我方员工复核了疑似损坏，结论为不成立：{proposal.decision_note}"
    return record(case, EventKind.DAMAGE_DECIDED, at=at, actor=actor, en=en, zh=zh,
                  data={"determination": proposal.pk, "status": proposal.status,
                        "evidence": proposal.considered_evidence})


def quotation_sent(case: Case, at: dt.datetime, actor, quotation, *, inspection_fee) -> CaseEvent:
    """``inspection_fee``: what declining every paid line would cost (0 when nothing would)."""
    lines = list(quotation.lines.all())
    total = sum((line.price for line in lines if not line.covered), 0)
    return record(case, EventKind.QUOTATION_SENT, at=at, actor=actor,
                  en=f"Quotation sent: {_count(len(lines), 'line', 'lines')}, {total} {quotation.currency} for the "
                     f"paid lines. You can accept or decline each paid line; please answer by "
                     f"{quotation.respond_by}.",
                  zh=f"已发送报价：共 {len(lines)} 项，收费项目合计 {total} {quotation.currency}。"
                     f"您可以逐项接受或拒绝；请于 {quotation.respond_by} 前答复。",
                  data={"quotation": quotation.pk, "inspection_fee": str(inspection_fee)})


ANSWER_CHANNELS = {"link": ("through the link we sent", "通过我们发送的链接"),
                   "phone": ("by phone", "通过电话"), "counter": ("at the counter", "在服务柜台")}


def quotation_answered(case: Case, at: dt.datetime, actor, quotation, *, accepted: int, declined: int,
                       channel: str) -> CaseEvent:
    """The customer's answer; when staff took it down (by phone or at the counter), ``actor`` is
    that member of staff and the event says how the customer answered."""
    how_en, how_zh = ANSWER_CHANNELS[channel]
    return record(case, EventKind.QUOTATION_ANSWERED, at=at, actor=actor,
                  en=f"You answered the quotation {how_en}: {accepted} accepted, {declined} declined.",
                  zh=f"您已{how_zh}答复报价：接受 {accepted} 项，拒绝 {declined} 项。",
                  data={"quotation": quotation.pk, "accepted": accepted, "declined": declined, "channel": channel})


def part_fitted(case: Case, at: dt.datetime, actor, usage) -> CaseEvent:
    en, zh = PARTS.get(usage.part, (usage.part, usage.part))
    how_en, how_zh = ("under warranty", "保修") if usage.covered else ("as quoted", "按报价")
    return record(case, EventKind.PART_FITTED, at=at, actor=actor, en=f"New {en} fitted ({how_en}).",
                  zh=f"已更换新的{zh}（{how_zh}）。", data={"part": usage.part, "covered": usage.covered})


def shipment(case: Case, at: dt.datetime, actor, carrier: str, tracking: str) -> CaseEvent:
    return record(case, EventKind.SHIPPED, at=at, actor=actor,
                  en=f"Sent back with {carrier}, tracking number {tracking}.",
                  zh=f"已通过{carrier}寄回，运单号 {tracking}。",
                  data={"carrier": carrier, "tracking": tracking})


def advance_shipped(case: Case, at: dt.datetime, actor, advance) -> CaseEvent:
    return record(case, EventKind.ADVANCE_SHIPPED, at=at, actor=actor,
                  en=f"A replacement ({advance.replacement_serial}) is on its way with {advance.carrier}, tracking "
                     f"number {advance.tracking}. Keep using it; send your faulty device back in the same box by "
                     f"{advance.return_by}, with the return label inside.",
                  zh=f"替换机（{advance.replacement_serial}）已通过{advance.carrier}寄出，运单号 {advance.tracking}。"
                     f"请放心使用；并请于 {advance.return_by} 前用原包装盒和箱内的退货标签寄回故障产品。",
                  data={"replacement": advance.replacement_serial, "return_by": advance.return_by.isoformat()})


def follow_up_opened(case: Case, at: dt.datetime, item) -> CaseEvent:
    return record(case, EventKind.FOLLOW_UP, at=at, actor=None,
                  en="You told us something was unclear; a staff member will call or write to explain.",
                  zh="您反馈有内容不清楚；工作人员会致电或来信说明。", data={"follow_up": item.pk})


def follow_up_answered(case: Case, at: dt.datetime, actor, item) -> CaseEvent:
    return record(case, EventKind.FOLLOW_UP_ANSWERED, at=at, actor=actor,
                  en=f"We followed up on your question: {item.resolution}",
                  zh=f"我们已回复您的疑问：{item.resolution}", data={"follow_up": item.pk})


def customer_message(case: Case, at: dt.datetime, message) -> CaseEvent:
    return record(case, EventKind.CUSTOMER_MESSAGE, at=at, actor=None, en=f"Your message: {message.text}",
                  zh=f"您的留言：{message.text}", data={"message": message.pk})


def storage_fees_started(case: Case, at: dt.datetime, *, pack: str, first_fee_day: dt.date) -> CaseEvent:
    return record(case, EventKind.STORAGE_FEES_STARTED, at=at, actor=SYSTEM_ACTOR,
                  en=f"Storage fees apply from {first_fee_day}, as the storage terms say "
                     f"({pack_name(pack, zh=False)}).",
                  zh=f"自 {first_fee_day} 起按保管条款计收保管费（{pack_name(pack, zh=True)}）。",
                  data={"pack": pack, "from": first_fee_day.isoformat()})


# --- evidence ---------------------------------------------------------------------------------
_KIND_WORDS = {
    EvidenceKind.CUSTOMER: ("Customer", "客户"),
    EvidenceKind.INBOUND: ("Inbound", "收件"),
    EvidenceKind.OUTBOUND: ("Outbound", "寄出"),
    EvidenceKind.DAMAGE: ("Damage", "损坏"),
    EvidenceKind.PROOF: ("Proof-of-purchase", "购买凭证"),
    EvidenceKind.VISIT: ("On-site visit", "上门现场"),
    EvidenceKind.OTHER: ("", ""),
}
_MEDIA_WORDS = {IMAGE: ("photo", "照片"), VIDEO: ("video", "视频")}
_DOCUMENT_WORDS = ("document", "文件")


def evidence_summary(kind: str, media: str) -> tuple[str, str]:
    """("Inbound photo added", "已添加收件照片") and the like."""
    kind_en, kind_zh = _KIND_WORDS[kind]
    media_en, media_zh = _MEDIA_WORDS.get(media, _DOCUMENT_WORDS)
    en = f"{kind_en} {media_en} added".strip()
    return en[0].upper() + en[1:], f"已添加{kind_zh}{media_zh}"


def evidence_added(evidence, at: dt.datetime, actor) -> CaseEvent:
    en, zh = evidence_summary(evidence.kind, evidence.media)
    return record(evidence.case, EventKind.EVIDENCE_ADDED, at=at, actor=actor, en=en, zh=zh,
                  visible=evidence.customer_visible,
                  data={"evidence": evidence.pk, "kind": evidence.kind, "content_type": evidence.content_type,
                        "size": evidence.size, "sha256": evidence.sha256})

"""Typed timeline events: one small function per kind, each writing one ``CaseEvent`` row with
its summary in English and Chinese (``evidence.events`` adds the evidence kind the same way).
Each event the customer should hear about is also sent to them (``repairs.notices``)."""

from __future__ import annotations

import datetime as dt

from aftersales.accounts.roles import ANONYMOUS, Role, roles_of
from aftersales.repairs import notices
from aftersales.repairs.models import Case, CaseEvent, EventKind
from aftersales.repairs.numbers import display
from aftersales.repairs.status import Status

# The role shown next to an event: the most specific role the actor has.
_ROLE_ORDER = [Role.ADMIN, Role.EXEC_CARE, Role.VERIFIER, Role.AUDITOR, Role.STAFF, Role.TECHNICIAN, Role.CUSTOMER]

STATUS_WORDS = {
    Status.BOOKED: ("booked", "已预约"),
    Status.RECEIVED: ("received at the service centre", "服务中心已收到产品"),
    Status.DIAGNOSING: ("being diagnosed", "正在检测"),
    Status.AWAITING_CUSTOMER: ("waiting for your decision on the quotation", "等待您确认报价"),
    Status.REPAIRING: ("being repaired", "正在维修"),
    Status.QA: ("in quality checks", "正在进行质量检测"),
    Status.READY: ("ready to return", "可取回"),
    Status.SHIPPED: ("shipped back", "已寄回"),
    Status.COLLECTED: ("returned to you", "已交还给您"),
    Status.IN_STORAGE: ("in storage (not collected)", "保管中（未取回）"),
    Status.DISPOSAL_REVIEW: ("under disposal review (not collected)", "待处置审核（未取回）"),
    Status.CANCELLED: ("cancelled", "已取消"),
}


def actor_role(user) -> str:
    roles = roles_of(user)
    return next((r.value for r in _ROLE_ORDER if r in roles), ANONYMOUS)


def _event(case: Case, kind: str, at: dt.datetime, actor, en: str, zh: str, *, visible: bool = True,
           from_status: str = "", to_status: str = "", data: dict | None = None) -> CaseEvent:
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    event = CaseEvent.objects.create(case=case, kind=kind, at=at, actor=user, actor_role=actor_role(user),
                                     from_status=from_status, to_status=to_status, customer_visible=visible,
                                     summary_en=en, summary_zh=zh, data=data or {})
    notices.tell(event, at)
    return event


def booked(case: Case, at: dt.datetime, actor) -> CaseEvent:
    return _event(case, EventKind.BOOKED, at, actor,
                  f"Case {display(case.number)} booked for {case.model} ({case.serial}); {case.symptoms.count()} "
                  f"reported fault(s).",
                  f"已预约维修单 {display(case.number)}：{case.model}（{case.serial}），报修故障 {case.symptoms.count()} 项。",
                  to_status=Status.BOOKED)


def status_changed(case: Case, old: str, new: str, at: dt.datetime, actor, note: str = "") -> CaseEvent:
    en, zh = STATUS_WORDS[new]
    return _event(case, EventKind.STATUS_CHANGED, at, actor,
                  f"Your device is {en}." + (f" {note}" if note else ""),
                  f"您的产品{zh}。" + (f"{note}" if note else ""),
                  from_status=old, to_status=new)


def warranty_decided(case: Case, at: dt.datetime, actor, decision: dict) -> CaseEvent:
    covered = decision["covered"]
    return _event(case, EventKind.WARRANTY_DECIDED, at, actor,
                  ("Covered by the warranty" if covered else "Not covered free of charge")
                  + f" (policy {decision['pack']}).",
                  ("在保修范围内" if covered else "不属于免费保修") + f"（政策 {decision['pack']}）。",
                  data={"covered": covered, "pack": decision["pack"], "clauses": decision.get("clauses", [])})


def note(case: Case, at: dt.datetime, actor, text: str, *, visible: bool) -> CaseEvent:
    return _event(case, EventKind.NOTE, at, actor, text, text, visible=visible)


def finding_recorded(case: Case, at: dt.datetime, actor, symptom, finding) -> CaseEvent:
    return _event(case, EventKind.FINDING_RECORDED, at, actor,
                  f"Fault {symptom.position} (“{symptom.text[:80]}”): {finding.text}",
                  f"故障 {symptom.position}（“{symptom.text[:80]}”）：{finding.text}",
                  data={"position": symptom.position, "outcome": finding.outcome, "part": finding.part})


def test_run(case: Case, at: dt.datetime, actor, run) -> CaseEvent:
    en_result, zh_result = ("passed", "通过") if run.passed else ("failed", "未通过")
    return _event(case, EventKind.TEST_RUN, at, actor, f"Test “{run.name}”: {en_result}.",
                  f"测试“{run.name}”：{zh_result}。",
                  data={"stage": run.stage, "passed": run.passed, "symptom": run.symptom_id})


def damage_proposed(case: Case, at: dt.datetime, actor, proposal) -> CaseEvent:
    # Internal until staff decide: a proposal is not a finding the customer is held to.
    return _event(case, EventKind.DAMAGE_PROPOSED, at, actor,
                  f"Damage proposed for review ({proposal.code}): {proposal.explanation}",
                  f"提交人为损坏审核（{proposal.code}）：{proposal.explanation}", visible=False,
                  data={"determination": proposal.pk, "code": proposal.code})


def damage_decided(case: Case, at: dt.datetime, actor, proposal) -> CaseEvent:
    confirmed = proposal.status == "confirmed"
    return _event(case, EventKind.DAMAGE_DECIDED, at, actor,
                  (f"Our staff found damage that the free warranty does not cover: {proposal.explanation} "
                   f"Reason: {proposal.decision_note}") if confirmed else
                  f"Our staff reviewed a possible damage finding and rejected it: {proposal.decision_note}",
                  (f"经我方员工认定，存在不属于免费保修的损坏：{proposal.explanation}理由：{proposal.decision_note}")
                  if confirmed else f"我方员工复核了疑似损坏，结论为不成立：{proposal.decision_note}",
                  data={"determination": proposal.pk, "status": proposal.status,
                        "evidence": proposal.considered_evidence})


def quotation_sent(case: Case, at: dt.datetime, actor, quotation) -> CaseEvent:
    total = sum((line.price for line in quotation.lines.all() if not line.covered), 0)
    return _event(case, EventKind.QUOTATION_SENT, at, actor,
                  f"Quotation sent: {quotation.lines.count()} line(s), {total} {quotation.currency} for the paid "
                  f"lines. You can accept or decline each paid line; please answer by {quotation.respond_by}.",
                  f"已发送报价：共 {quotation.lines.count()} 项，收费项目合计 {total} {quotation.currency}。"
                  f"您可以逐项接受或拒绝；请于 {quotation.respond_by} 前答复。",
                  data={"quotation": quotation.pk})


def quotation_answered(case: Case, at: dt.datetime, quotation, accepted: int, declined: int) -> CaseEvent:
    return _event(case, EventKind.QUOTATION_ANSWERED, at, None,
                  f"You answered the quotation: {accepted} line(s) accepted, {declined} declined.",
                  f"您已答复报价：接受 {accepted} 项，拒绝 {declined} 项。",
                  data={"quotation": quotation.pk, "accepted": accepted, "declined": declined})


def part_fitted(case: Case, at: dt.datetime, actor, usage) -> CaseEvent:
    from aftersales.policy.vocabulary import PARTS

    en, zh = PARTS.get(usage.part, (usage.part, usage.part))
    how_en, how_zh = ("under warranty", "保修") if usage.covered else ("as quoted", "按报价")
    return _event(case, EventKind.PART_FITTED, at, actor, f"New {en} fitted ({how_en}).",
                  f"已更换新的{zh}（{how_zh}）。", data={"part": usage.part, "covered": usage.covered})


def shipment(case: Case, at: dt.datetime, actor, carrier: str, tracking: str) -> CaseEvent:
    return _event(case, EventKind.SHIPPED, at, actor, f"Sent back with {carrier}, tracking number {tracking}.",
                  f"已通过{carrier}寄回，运单号 {tracking}。", data={"carrier": carrier, "tracking": tracking})


def advance_shipped(case: Case, at: dt.datetime, actor, advance) -> CaseEvent:
    return _event(case, EventKind.ADVANCE_SHIPPED, at, actor,
                  f"A replacement ({advance.replacement_serial}) is on its way with {advance.carrier}, tracking number "
                  f"{advance.tracking}. Keep using it; send your faulty device back in the same box by "
                  f"{advance.return_by}, with the return label inside.",
                  f"替换机（{advance.replacement_serial}）已通过{advance.carrier}寄出，运单号 {advance.tracking}。"
                  f"请放心使用；并请于 {advance.return_by} 前用原包装盒和箱内的退货标签寄回故障产品。",
                  data={"replacement": advance.replacement_serial, "return_by": advance.return_by.isoformat()})


def follow_up(case: Case, at: dt.datetime, actor, item, *, resolved: bool) -> CaseEvent:
    if resolved:
        return _event(case, EventKind.FOLLOW_UP, at, actor, f"We followed up on your question: {item.resolution}",
                      f"我们已回复您的疑问：{item.resolution}", data={"follow_up": item.pk, "resolved": True})
    return _event(case, EventKind.FOLLOW_UP, at, actor,
                  "You told us something was unclear; a staff member will call or write to explain.",
                  "您反馈有内容不清楚；工作人员会致电或来信说明。", data={"follow_up": item.pk, "resolved": False})


def customer_message(case: Case, at: dt.datetime, message) -> CaseEvent:
    return _event(case, EventKind.CUSTOMER_MESSAGE, at, None, f"Your message: {message.text}",
                  f"您的留言：{message.text}", data={"message": message.pk})

"""Typed timeline events: one small function per kind, each writing one ``CaseEvent`` row with
its summary in English and Chinese. Nothing else creates events."""

from __future__ import annotations

import datetime as dt

from aftersales.accounts.roles import ANONYMOUS, Role, roles_of
from aftersales.repairs.models import Case, CaseEvent, EventKind
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
    return CaseEvent.objects.create(case=case, kind=kind, at=at, actor=user, actor_role=actor_role(user),
                                    from_status=from_status, to_status=to_status, customer_visible=visible,
                                    summary_en=en, summary_zh=zh, data=data or {})


def booked(case: Case, at: dt.datetime, actor) -> CaseEvent:
    return _event(case, EventKind.BOOKED, at, actor,
                  f"Case {case.number} booked for {case.model} ({case.serial}); {case.symptoms.count()} "
                  f"reported fault(s).",
                  f"已预约维修单 {case.number}：{case.model}（{case.serial}），报修故障 {case.symptoms.count()} 项。",
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

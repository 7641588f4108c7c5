"""Diagnosis: findings for every reported fault, test runs, the warranty decision per faulty
part, and customer-induced damage — proposed by whoever inspects, decided only by the maker's
staff (seed 000 item 4). Role checks happen here, in the service, whatever the screen shows.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from aftersales.accounts.roles import require, user_can
from aftersales.core.errors import AppError, Conflict, Forbidden, NotFound
from aftersales.policy.vocabulary import EXCLUSION_CODES, PARTS
from aftersales.repairs import events, reactions
from aftersales.repairs.models import (
    Case,
    DamageDetermination,
    DamageStatus,
    Finding,
    Outcome,
    PartDecision,
    PartUsage,
    ReportedSymptom,
    Stage,
    TestRun,
)
from aftersales.repairs.services import case_within_reach, locked_case
from aftersales.repairs.status import Status
from aftersales.warranty.packs import packs_in_force
from aftersales.warranty.registry import device_info
from aftersales.warranty.rules.engine import decide
from aftersales.warranty.rules.facts import Facts
from aftersales.warranty.wire import decision_json


def _part(part: str) -> str:
    if part and part not in PARTS:
        raise AppError("unknown-part", f"Unknown part {part!r}.", f"未知部件 {part!r}。", field="part")
    return part or ""


@transaction.atomic
def finding_record(*, number: str, position: int, text: str, outcome: str, part: str = "", actor,
                   now: dt.datetime) -> Finding:
    require(actor, "case.diagnose")
    case = locked_case(number, actor=actor, statuses={Status.DIAGNOSING})
    symptom = ReportedSymptom.objects.filter(case=case, position=position).first()
    if symptom is None:
        raise NotFound("unknown-symptom", "No such reported fault on this case.", "该维修单没有此报修故障。",
                       field="position")
    if outcome not in Outcome.values:
        raise AppError("unknown-outcome", "Choose an outcome for the fault.", "请选择故障结论。", field="outcome")
    if not (text or "").strip():
        raise AppError("missing-field", "Say what was found.", "请填写检测结果。", field="text")
    finding, _ = Finding.objects.update_or_create(
        symptom=symptom, defaults=dict(text=text.strip(), outcome=outcome, part=_part(part), recorded_by=actor,
                                       recorded_at=now))
    events.finding_recorded(case, now, actor, symptom, finding)
    return finding


@transaction.atomic
def result_record(*, number: str, stage: str, name: str, passed: bool, details: str = "",
                symptom_position: int | None = None, actor, now: dt.datetime) -> TestRun:
    require(actor, "case.diagnose" if stage == Stage.DIAGNOSIS else "case.repair")
    allowed = {Status.DIAGNOSING} if stage == Stage.DIAGNOSIS else {Status.QA}
    case = locked_case(number, actor=actor, statuses=allowed)
    symptom = None
    if symptom_position is not None:
        symptom = ReportedSymptom.objects.filter(case=case, position=symptom_position).first()
        if symptom is None:
            raise NotFound("unknown-symptom", "No such reported fault on this case.", "该维修单没有此报修故障。",
                           field="symptom_position")
    if not (name or "").strip():
        raise AppError("missing-field", "Name the test.", "请填写测试名称。", field="name")
    run = TestRun.objects.create(case=case, stage=stage, symptom=symptom, name=name.strip(), passed=passed,
                                 details=details, run_by=actor, run_at=now)
    events.test_run(case, now, actor, run)
    return run


def _earlier_repairs(case: Case, part: str) -> tuple[dt.date, ...]:
    """The days (where each was repaired) the same part of this device was replaced under warranty
    in its earlier cases: the post-repair rule extends cover from the last of them."""
    fitted = PartUsage.objects.filter(case__device_id=case.device_id, part=part, covered=True).exclude(case=case)
    return tuple(sorted(u.case.day(u.fitted_at) for u in fitted.select_related("case__centre")))


def _vip_visits_used(case: Case) -> int:
    """The device's VIP software on-site visits used, as the on-site service counts them (reached
    through the device, so that repairs need not import the on-site app); 0 when none was counted."""
    usage = getattr(case.device, "vip_usage", None) if case.device_id else None
    return usage.software_visit if usage is not None else 0


def _facts(case: Case, part: str, exclusions: tuple[str, ...], day: dt.date) -> Facts:
    device = device_info(case.device)
    return Facts(product_line=device.product_line, manufactured_on=device.manufactured_on, part=part, as_of=day,
                 sold_in=device.sold_in, service_in=case.centre.region, purchased_on=case.purchased_on,
                 shipped_on=device.shipped_on, exclusions=exclusions,
                 repairs_on=_earlier_repairs(case, part) if case.device_id else (),
                 vip_visits_used=_vip_visits_used(case))


@transaction.atomic
def part_decide(*, number: str, part: str, actor, now: dt.datetime) -> PartDecision:
    """Ask the warranty engine about one faulty part, with every confirmed damage finding for
    that part (or for the whole device) as exclusions, and keep its answer on the case."""
    require(actor, "case.diagnose")
    case = locked_case(number, actor=actor, statuses={Status.DIAGNOSING, Status.AWAITING_CUSTOMER})
    _part(part)
    codes = tuple(dict.fromkeys(
        d.code for d in case.damage.filter(status=DamageStatus.CONFIRMED) if d.part in ("", part)))
    decision = decide(_facts(case, part, codes, case.day(now)), packs_in_force())
    record = decision_json(decision)
    row, _ = PartDecision.objects.update_or_create(
        case=case, part=part, defaults=dict(covered=decision.covered, pack=decision.pack, decision=record,
                                            decided_at=now))
    case.warranty = {**(case.warranty or {}), part: record}
    case.save(update_fields=["warranty"])
    events.warranty_decided(case, now, actor, {**record, "part": part})
    return row


def _evidence_ids(case: Case, kind: str | None = None) -> set[int]:
    related = getattr(case, "evidence", None)
    if related is None:
        return set()
    qs = related.all() if kind is None else related.filter(kind=kind)
    return set(qs.values_list("pk", flat=True))


@transaction.atomic
def damage_propose(*, number: str, code: str, explanation: str, part: str = "", evidence: list[int] = (),
                   actor, now: dt.datetime) -> DamageDetermination:
    """Anyone who inspects may propose customer-induced damage, with the photos that show it."""
    require(actor, "damage.propose")
    case = locked_case(number, actor=actor, statuses={Status.DIAGNOSING})
    if code not in EXCLUSION_CODES:
        raise AppError("unknown-exclusion", f"Unknown exclusion {code!r}.", f"未知除外情形 {code!r}。", field="code")
    if not (explanation or "").strip():
        raise AppError("missing-field", "Explain in plain words what shows the damage.",
                       "请用通俗的语言说明损坏的依据。", field="explanation")
    unknown = set(evidence) - _evidence_ids(case)
    if unknown:
        raise AppError("unknown-evidence", "Some of the photos named are not on this case.",
                       "所引用的部分照片不属于该维修单。", field="evidence")
    proposal = DamageDetermination.objects.create(case=case, code=code, part=_part(part),
                                                  explanation=explanation.strip(), proposed_by=actor,
                                                  proposed_at=now, considered_evidence=sorted(set(evidence)))
    events.damage_proposed(case, now, actor, proposal)
    return proposal


@transaction.atomic
def damage_decide(*, determination_id: int, confirm: bool, note: str, considered: list[int], actor,
                  now: dt.datetime) -> DamageDetermination:
    """Only the maker's staff confirm or reject a damage proposal (seed 000 item 4), and the
    decision must name the photos it weighed — every photo the customer supplied among them."""
    if not user_can(actor, "damage.decide"):
        raise Forbidden("damage-staff-only",
                        "Only the maker's own staff decide whether damage was caused by the customer; you can "
                        "propose it with photos, and a staff member will confirm or reject it.",
                        "是否属于人为损坏只能由厂商员工判定；您可以附照片提出，由员工确认或驳回。")
    proposal = DamageDetermination.objects.select_for_update().filter(pk=determination_id).first()
    if proposal is None or not case_within_reach(proposal.case, actor):
        raise NotFound("unknown-determination", "No such damage proposal.", "没有该损坏认定申请。")
    locked_case(proposal.case.number, actor=actor, statuses={Status.DIAGNOSING, Status.AWAITING_CUSTOMER})
    if proposal.status != DamageStatus.PROPOSED:
        raise Conflict("already-decided", "This proposal has already been decided.", "该申请已有结论。")
    if not (note or "").strip():
        raise AppError("missing-field", "Give the reason for the decision in plain words.",
                       "请用通俗的语言说明判定理由。", field="note")
    customer_photos = _evidence_ids(proposal.case, "customer")
    missing = customer_photos - set(considered)
    if missing:
        raise AppError("customer-evidence-ignored",
                       "The customer sent their own photos of the device; a damage decision must consider "
                       "each of them.", "客户提供了产品照片；损坏判定必须逐一参考这些照片。", field="considered")
    unknown = set(considered) - _evidence_ids(proposal.case)
    if unknown:
        raise AppError("unknown-evidence", "Some of the photos named are not on this case.",
                       "所引用的部分照片不属于该维修单。", field="considered")
    proposal.status = DamageStatus.CONFIRMED if confirm else DamageStatus.REJECTED
    proposal.decided_by = actor
    proposal.decided_at = now
    proposal.decision_note = note.strip()
    proposal.considered_evidence = sorted(set(considered) | set(proposal.considered_evidence))
    proposal.save()
    reactions.follow(events.damage_decided(proposal.case, now, actor, proposal), now=now)
    return proposal

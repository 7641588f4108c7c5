"""Diagnosis: a finding for every reported fault, QA re-tests, the warranty decision per part,
and customer-induced damage decided only by staff."""

import datetime as dt

import pytest

from aftersales.core.errors import AppError, Conflict, Forbidden
from aftersales.policy.testing import SHIPPED
from aftersales.repairs.conftest import NOW
from aftersales.repairs.diagnosis import (
    damage_decide,
    damage_propose,
    finding_record,
    part_decide,
    result_record,
)
from aftersales.repairs.models import Case, CaseEvent, DamageStatus, PartDecision
from aftersales.repairs.services import case_move
from aftersales.repairs.status import Status
from aftersales.warranty.packs import pack_load

LATER = NOW + dt.timedelta(hours=1)


@pytest.fixture
def packs(db):
    pack_load(text=SHIPPED["cn-desktop"])


def test_a_case_cannot_leave_diagnosis_while_a_reported_fault_has_no_finding(diagnosing, staff):
    finding_record(number=diagnosing.number, position=1, text="PSU dead", outcome="confirmed", part="psu",
                   actor=staff, now=LATER)
    with pytest.raises(Conflict) as err:
        case_move(number=diagnosing.number, to=Status.REPAIRING, actor=staff, now=LATER)
    assert err.value.code == "findings-missing" and "2" in err.value.en
    assert Case.objects.get(pk=diagnosing.pk).status == Status.DIAGNOSING


def test_quality_checks_must_retest_each_repaired_fault_before_return(diagnosing, staff):
    for position, outcome in ((1, "confirmed"), (2, "not-reproduced")):
        finding_record(number=diagnosing.number, position=position, text="…", outcome=outcome, actor=staff, now=LATER)
    case_move(number=diagnosing.number, to=Status.REPAIRING, actor=staff, now=LATER)
    case_move(number=diagnosing.number, to=Status.QA, actor=staff, now=LATER)
    result_record(number=diagnosing.number, stage="qa", name="Power-on", passed=False, symptom_position=1,
                actor=staff, now=LATER)
    with pytest.raises(Conflict) as err:
        case_move(number=diagnosing.number, to=Status.READY, actor=staff, now=LATER)
    assert err.value.code == "qa-retest-missing"
    result_record(number=diagnosing.number, stage="qa", name="Power-on", passed=True, symptom_position=1,
                actor=staff, now=LATER)
    case_move(number=diagnosing.number, to=Status.READY, actor=staff, now=LATER)


def test_the_warranty_decision_for_a_faulty_part_is_kept_with_its_pack_and_clauses(diagnosing, staff, packs):
    row = part_decide(number=diagnosing.number, part="psu", actor=staff, now=LATER)
    assert row.covered and row.pack == "cn-desktop@2026.11.30"
    assert "home-periods" in row.decision["clauses"]
    assert Case.objects.get(pk=diagnosing.pk).warranty["psu"]["covered"] is True
    assert CaseEvent.objects.filter(case=diagnosing, kind="warranty-decided").exists()


def test_a_technician_may_propose_damage_but_not_decide_it(diagnosing, technician):
    proposal = damage_propose(number=diagnosing.number, code="liquid-damage", part="mainboard",
                              explanation="Corrosion around the power connector.", actor=technician, now=LATER)
    with pytest.raises(Forbidden) as err:
        damage_decide(determination_id=proposal.pk, confirm=True, note="Looks like liquid", considered=[],
                      actor=technician, now=LATER)
    assert err.value.code == "damage-staff-only" and err.value.zh
    proposal.refresh_from_db()
    assert proposal.status == DamageStatus.PROPOSED


def test_staff_confirm_a_technicians_proposal_and_the_part_is_then_not_covered(diagnosing, technician, staff, packs):
    proposal = damage_propose(number=diagnosing.number, code="liquid-damage", part="mainboard",
                              explanation="Corrosion around the power connector.", actor=technician, now=LATER)
    damage_decide(determination_id=proposal.pk, confirm=True, note="Corrosion confirmed under the microscope.",
                  considered=[], actor=staff, now=LATER)
    decision = part_decide(number=diagnosing.number, part="mainboard", actor=staff, now=LATER)
    assert not decision.covered
    assert "liquid-damage" in [r["code"] for r in decision.decision["reasons"]]
    # the unrelated power supply stays covered: damage is tied to the part it was found on
    assert part_decide(number=diagnosing.number, part="psu", actor=staff, now=LATER).covered


def test_a_rejected_proposal_excludes_nothing(diagnosing, technician, staff, packs):
    proposal = damage_propose(number=diagnosing.number, code="physical-damage", explanation="Dent on the side",
                              actor=technician, now=LATER)
    damage_decide(determination_id=proposal.pk, confirm=False, note="Dent is from shipping, not the customer.",
                  considered=[], actor=staff, now=LATER)
    assert part_decide(number=diagnosing.number, part="mainboard", actor=staff, now=LATER).covered
    shown = CaseEvent.objects.filter(case=diagnosing, kind="damage-decided", customer_visible=True).get()
    assert "rejected" in shown.summary_en


def test_a_proposal_is_internal_until_staff_decide(diagnosing, technician):
    damage_propose(number=diagnosing.number, code="virus", explanation="Malware found", actor=technician, now=LATER)
    event = CaseEvent.objects.get(case=diagnosing, kind="damage-proposed")
    assert event.customer_visible is False


def test_a_decision_cannot_be_taken_twice(diagnosing, staff):
    proposal = damage_propose(number=diagnosing.number, code="virus", explanation="Malware found", actor=staff, now=LATER)
    damage_decide(determination_id=proposal.pk, confirm=True, note="Confirmed", considered=[], actor=staff, now=LATER)
    with pytest.raises(Conflict):
        damage_decide(determination_id=proposal.pk, confirm=False, note="Changed mind", considered=[], actor=staff,
                      now=LATER)


def test_a_customer_cannot_record_findings(diagnosing):
    from aftersales.repairs.conftest import make_user

    with pytest.raises(Forbidden):
        finding_record(number=diagnosing.number, position=1, text="x", outcome="confirmed",
                       actor=make_user("cust", "customer"), now=LATER)


def test_an_unknown_exclusion_or_an_empty_explanation_is_refused(diagnosing, technician):
    with pytest.raises(AppError) as err:
        damage_propose(number=diagnosing.number, code="bad-luck", explanation="x", actor=technician, now=LATER)
    assert err.value.code == "unknown-exclusion"
    with pytest.raises(AppError) as err:
        damage_propose(number=diagnosing.number, code="virus", explanation="  ", actor=technician, now=LATER)
    assert err.value.field == "explanation"
    assert not PartDecision.objects.exists()

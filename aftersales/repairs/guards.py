"""Conditions a case must meet before some moves (seed 000 fairness rules):
- it leaves diagnosis only when every fault the customer reported has a finding and an outcome;
- it leaves quality checks for return only when every reported fault was re-tested and passed,
  or was found not to be a fault we can fix (not reproduced, software, damage declined).
"""

from __future__ import annotations

from aftersales.core.errors import Conflict
from aftersales.repairs.models import Case, Outcome, Stage
from aftersales.repairs.status import Status

LEAVING_DIAGNOSIS = {Status.AWAITING_CUSTOMER, Status.REPAIRING, Status.READY}


def check_move(case: Case, old: str, new: str) -> None:
    if old == Status.DIAGNOSING and new in LEAVING_DIAGNOSIS:
        missing = list(case.symptoms.filter(finding__isnull=True).values_list("position", flat=True))
        if missing:
            numbers = ", ".join(str(p) for p in missing)
            raise Conflict("findings-missing",
                           f"Every reported fault needs a finding and an outcome first (missing: fault {numbers}).",
                           f"每一项报修故障都必须先有检测结果和结论（缺少：故障 {numbers}）。", field="findings")
    if old == Status.QA and new == Status.READY:
        untested = []
        for symptom in case.symptoms.select_related("finding"):
            outcome = getattr(getattr(symptom, "finding", None), "outcome", None)
            passed = symptom.tests.filter(stage=Stage.QA, passed=True).exists()
            if outcome == Outcome.CONFIRMED and not passed:
                untested.append(symptom.position)
        if untested:
            numbers = ", ".join(str(p) for p in untested)
            raise Conflict("qa-retest-missing",
                           f"Quality checks must re-test each repaired fault and pass (missing: fault {numbers}).",
                           f"质量检测必须对每一项已维修的故障重新测试并通过（缺少：故障 {numbers}）。", field="tests")

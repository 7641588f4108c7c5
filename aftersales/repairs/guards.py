"""What must hold before a case may make a move (SPEC §2 fairness rules; seed 000).

Each edge of ``status.TRANSITIONS`` names its guards; ``case_transition`` runs them, in order,
after it has locked the case, whichever page, endpoint, task or script asked for the move:

- ``findings``: every fault the customer reported has a finding and an outcome;
- ``customer-answer``: no quotation was sent that the customer has not answered yet (work starts,
  or the device goes back, only after the answer is on record);
- ``qa-retest``: once a case has been repaired, each repaired fault was re-tested at the quality
  check and passed; a fault whose repair the customer declined was not repaired;
- ``quotation-ready``: a quotation is verified and ready to send;
- ``parcel-inbound`` / ``parcel-outbound``: where the centre films or photographs parcels (US and
  Canada), the inbound or outbound photo or video is on the case.

A guard raises a ``Conflict`` that says, in plain words and in both languages, what is missing.
"""

from __future__ import annotations

from typing import Callable

from aftersales.billing.models import LineDecision, QuotationLine, QuotationStatus
from aftersales.core.errors import Conflict
from aftersales.evidence.models import EvidenceKind
from aftersales.evidence.selectors import parcel_media_missing
from aftersales.repairs.models import Case, CaseEvent, EventKind, Outcome, PartDecision, Stage
from aftersales.repairs.status import Status


def _faults(positions) -> str:
    return ", ".join(str(p) for p in positions)


def findings(case: Case) -> None:
    missing = list(case.symptoms.filter(finding__isnull=True).values_list("position", flat=True))
    if missing:
        raise Conflict("findings-missing",
                       f"Every reported fault needs a finding and an outcome first (missing: fault "
                       f"{_faults(missing)}).",
                       f"每一项报修故障都必须先有检测结果和结论（缺少：故障 {_faults(missing)}）。", field="findings")


def customer_answer(case: Case) -> None:
    if case.quotations.filter(status=QuotationStatus.SENT).exists():
        raise Conflict("customer-answer-missing",
                       "The customer has not answered the quotation yet. Wait for the answer, or record the "
                       "answer they gave by phone or at the counter.",
                       "客户尚未答复报价。请等待客户答复，或登记客户通过电话或在柜台给出的答复。", field="quotation")


def _declined_parts(case: Case) -> set[str]:
    """Parts whose repair the customer declined and nobody agreed to otherwise."""
    lines = QuotationLine.objects.filter(quotation__case=case, quotation__status=QuotationStatus.ANSWERED)
    declined = set(lines.filter(decision=LineDecision.DECLINED).values_list("part", flat=True))
    agreed = set(lines.exclude(decision=LineDecision.DECLINED).values_list("part", flat=True))
    agreed |= set(PartDecision.objects.filter(case=case, covered=True).values_list("part", flat=True))
    return declined - agreed - {""}


def qa_retest(case: Case) -> None:
    repaired = CaseEvent.objects.filter(case=case, kind=EventKind.STATUS_CHANGED, to_status=Status.REPAIRING)
    if not repaired.exists():
        return  # nothing was repaired, so there is nothing to re-test
    declined = _declined_parts(case)
    untested = [symptom.position for symptom in case.symptoms.select_related("finding")
                if getattr(getattr(symptom, "finding", None), "outcome", None) == Outcome.CONFIRMED
                and symptom.finding.part not in declined
                and not symptom.tests.filter(stage=Stage.QA, passed=True).exists()]
    if untested:
        raise Conflict("qa-retest-missing",
                       f"Quality checks must re-test each repaired fault and pass (missing: fault "
                       f"{_faults(untested)}).",
                       f"质量检测必须对每一项已维修的故障重新测试并通过（缺少：故障 {_faults(untested)}）。",
                       field="tests")


def quotation_ready(case: Case) -> None:
    if not case.quotations.filter(status=QuotationStatus.READY).exists():
        raise Conflict("quotation-not-ready", "There is no verified quotation ready to send.",
                       "没有已复核、可发送的报价。", field="quotation")


_PARCEL_WORDS = {
    EvidenceKind.INBOUND: ("as it is opened: add an inbound photo or video before marking case {n} received",
                           "在拆包收件时拍照或录像：请先添加收件照片或视频，再将维修单 {n} 标为已收件"),
    EvidenceKind.OUTBOUND: ("before it goes back: add an outbound photo or video before marking case {n} shipped",
                            "在寄回前为包裹拍照或录像：请先添加寄出照片或视频，再将维修单 {n} 标为已寄出"),
}


def _parcel(kind: str) -> Callable[[Case], None]:
    def guard(case: Case) -> None:
        if parcel_media_missing(case, kind):
            en, zh = (words.format(n=case.number) for words in _PARCEL_WORDS[kind])
            raise Conflict("parcel-media-required",
                           f"This service centre photographs or films every parcel {en}.",
                           f"本服务中心须{zh}。", field="status")
    return guard


GUARDS: dict[str, Callable[[Case], None]] = {
    "findings": findings,
    "customer-answer": customer_answer,
    "qa-retest": qa_retest,
    "quotation-ready": quotation_ready,
    "parcel-inbound": _parcel(EvidenceKind.INBOUND),
    "parcel-outbound": _parcel(EvidenceKind.OUTBOUND),
}


def check_guards(case: Case, names: tuple[str, ...]) -> None:
    for name in names:
        GUARDS[name](case)

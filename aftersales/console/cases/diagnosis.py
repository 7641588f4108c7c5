"""Posts of the diagnosis sections: a finding per reported fault, tests and QA re-tests, the
warranty decision per faulty part, damage proposed and decided, and evidence files."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.accounts.guards import action_required
from aftersales.console.cases import forms as f
from aftersales.console.cases.perform import perform
from aftersales.console.cases.scope import case_in_scope
from aftersales.console.cases.sections import evidence_choices, exclusions_for, part_name
from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.evidence.services import uploads_within_limit
from aftersales.repairs.diagnosis import damage_decide, damage_propose, finding_record, part_decide, result_record
from aftersales.repairs.evidence import case_evidence_add
from aftersales.repairs.models import Stage


@require_POST
@action_required("case.diagnose")
def finding(request, number: str, position: int):
    case, key = case_in_scope(request.user, number), f"finding-{position}"
    form = f.FindingForm(request.POST, prefix=key, language=get_language())

    def run(c, now):
        finding_record(number=case.number, position=position, text=c["text"], outcome=c["outcome"],
                       part=c["part"], actor=request.user, now=now)

    return perform(request, case, key, form, run, anchor=f"fault-{position}",
                   done=_("Finding saved for fault %(n)d.") % {"n": position})


@require_POST
@action_required("case.diagnose")
def test_run(request, number: str):
    case = case_in_scope(request.user, number)
    form = f.TestForm(request.POST, prefix="test", language=get_language(), faults=case.symptoms.all())

    def run(c, now):
        result_record(number=case.number, stage=Stage.DIAGNOSIS, name=c["name"], passed=c["result"] == "passed",
                      details=c["details"], symptom_position=c["symptom"], actor=request.user, now=now)

    return perform(request, case, "test", form, run, anchor="tests", done=_("Test recorded."))


@require_POST
@action_required("case.repair")
def qa_run(request, number: str, position: int):
    case, key = case_in_scope(request.user, number), f"qa-{position}"
    form = f.QaForm(request.POST, prefix=key, language=get_language())

    def run(c, now):
        result_record(number=case.number, stage=Stage.QA, name=c["name"], passed=c["result"] == "passed",
                      details=c["details"], symptom_position=position, actor=request.user, now=now)

    return perform(request, case, key, form, run, anchor=f"fault-{position}",
                   done=_("Re-test recorded for fault %(n)d.") % {"n": position})


@require_POST
@action_required("case.diagnose")
def warranty_decide(request, number: str):
    case, language = case_in_scope(request.user, number), get_language()
    form = f.PartDecideForm(request.POST, prefix="decide", language=language)

    def run(c, now):
        part_decide(number=case.number, part=c["part"], actor=request.user, now=now)

    part = request.POST.get("decide-part", "")
    return perform(request, case, "decide", form, run, anchor="warranty",
                   done=_("Warranty decided: %(part)s.") % {"part": part_name(part, language)})


@require_POST
@action_required("damage.propose")
def damage_proposal(request, number: str):
    case, language, now = case_in_scope(request.user, number), get_language(), clock.now()
    form = f.DamageProposeForm(request.POST, prefix="propose", language=language, evidence=evidence_choices(case),
                               exclusions=exclusions_for(case, language, case.day(now)))

    def run(c, now):
        damage_propose(number=case.number, code=c["code"], explanation=c["explanation"], part=c["part"],
                       evidence=c["evidence"], actor=request.user, now=now)

    return perform(request, case, "propose", form, run, anchor="damage", now=now,
                   done=_("Damage proposed; a staff member will confirm or reject it."))


@require_POST
@action_required("damage.decide")
def damage_decision(request, number: str, pk: int):
    case, key = case_in_scope(request.user, number), f"damage-{pk}"
    if not case.damage.filter(pk=pk).exists():
        raise Http404(pk)
    form = f.DamageDecideForm(request.POST, prefix=key, language=get_language(), evidence=evidence_choices(case))

    def run(c, now):
        damage_decide(determination_id=pk, confirm=c["verdict"] == "confirm", note=c["note"],
                      considered=c["considered"], actor=request.user, now=now)

    return perform(request, case, key, form, run, anchor="damage", done=_("Damage decision saved."))


@require_POST
@action_required("evidence.add")
def evidence_upload(request, number: str):
    """Each file is added on its own: the ones that pass are kept, the refused ones are listed
    with the reason, and the form says which."""
    case = case_in_scope(request.user, number)
    form = f.EvidenceForm(request.POST, request.FILES, prefix="evidence", language=get_language())

    def run(c, now):
        if not c["files"]:
            raise AppError("missing-file", "Choose at least one file.", "请至少选择一个文件。", field="file")
        uploads_within_limit(c["files"])
        refused = []
        for upload in c["files"]:
            try:
                case_evidence_add(case=case, kind=c["kind"], upload=upload, actor=request.user, now=now,
                             description=c["description"], name=upload.name)
            except AppError as exc:
                refused.append((upload.name, exc))
        if refused:
            added = len(c["files"]) - len(refused)
            raise AppError(refused[0][1].code,
                           f"{added} of {len(c['files'])} {'file' if len(c['files']) == 1 else 'files'} added. Not added: "
                           + " ".join(f"{name}: {exc.en}" for name, exc in refused),
                           f"已添加 {added} 个文件，共 {len(c['files'])} 个。未添加："
                           + "".join(f"{name}：{exc.zh}" for name, exc in refused), field="file")

    return perform(request, case, "evidence", form, run, anchor="evidence", done=_("Files added."))

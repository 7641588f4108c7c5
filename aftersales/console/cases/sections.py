"""What each section of the case page shows, read from the case's rows and put in the viewer's
language, with the form each section offers (the one that was just refused, as it was filled
in, or a fresh one)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from aftersales.accounts.roles import role_label
from aftersales.billing.models import LineDecision, QuotationStatus
from aftersales.console.cases import forms as f
from aftersales.evidence.models import EvidenceKind
from aftersales.evidence.selectors import evidence_for_case
from aftersales.evidence.sniff import IMAGE, VIDEO
from aftersales.policy.vocabulary import PARTS
from aftersales.repairs.models import Case, DamageStatus, Outcome, Stage
from aftersales.repairs.status import Status
from aftersales.warranty.presentation import exclusion_choices, is_zh, label, pack_for_device
from aftersales.warranty.registry import device_info
from aftersales.warranty.rules.explain import EXCLUSION_FINDINGS


# "Not re-tested yet" is news only while the repair and its quality check are under way.
QA_DUE = frozenset({Status.REPAIRING, Status.QA})


class Bound:
    """The forms of one page: the refused one as it was posted, fresh ones for the rest."""

    def __init__(self, language: str, bound: dict | None = None):
        self.language, self.bound = language, bound or {}

    def __call__(self, key: str, cls, **kwargs):
        if key in self.bound:
            return self.bound[key]
        return cls(prefix=key, language=self.language, **kwargs)


def part_name(key: str, language: str) -> str:
    return label(PARTS, key, language) if key in PARTS else key


def exclusion_name(code: str, language: str) -> str:
    en, zh = EXCLUSION_FINDINGS.get(code, (code, code))
    return zh if is_zh(language) else en[:1].upper() + en[1:]


def timeline(case: Case, language: str) -> list[dict]:
    return [{"at": e.at, "summary": e.summary(language), "internal": not e.customer_visible,
             "kind": e.get_kind_display(), "actor": e.actor.get_username() if e.actor else "",
             "role": role_label(e.actor_role)}
            for e in case.events.select_related("actor").order_by("at", "id")]


def faults(case: Case, language: str, forms: Bound) -> list[dict]:
    qa = defaultdict(list)
    for run in case.tests.filter(stage=Stage.QA, symptom__isnull=False):
        qa[run.symptom_id].append(run)
    out = []
    for symptom in case.symptoms.select_related("finding", "finding__recorded_by"):
        finding = getattr(symptom, "finding", None)
        initial = {"text": finding.text, "outcome": finding.outcome, "part": finding.part} if finding else None
        out.append({
            "symptom": symptom, "finding": finding,
            "outcome": Outcome(finding.outcome).label if finding else "",
            "part": part_name(finding.part, language) if finding and finding.part else "",
            "qa": qa.get(symptom.pk, []), "qa_due": case.status in QA_DUE,
            "form": forms(f"finding-{symptom.position}", f.FindingForm, initial=initial),
            "qa_form": forms(f"qa-{symptom.position}", f.QaForm),
        })
    return out


def tests(case: Case) -> list:
    return list(case.tests.select_related("symptom", "run_by").order_by("run_at", "id"))


def decisions(case: Case, language: str) -> list[dict]:
    return [{"part": part_name(d.part, language), "key": d.part, "covered": d.covered, "pack": d.pack,
             "decided_at": d.decided_at, "ends_on": d.decision.get("ends_on"),
             "reasons": [r["zh"] if is_zh(language) else r["en"] for r in d.decision.get("reasons", [])]}
            for d in case.part_decisions.order_by("part")]


def faulty_parts(case: Case, language: str) -> list[tuple[str, str]]:
    """The parts the findings name, each once, in the order of the faults."""
    keys = [s.finding.part for s in case.symptoms.select_related("finding")
            if getattr(s, "finding", None) is not None and s.finding.part]
    return [(k, part_name(k, language)) for k in dict.fromkeys(keys)]


def evidence(case: Case) -> list[dict]:
    return [{"item": e, "image": e.media == IMAGE, "video": e.media == VIDEO,
             "customer": e.kind == EvidenceKind.CUSTOMER, "kind": e.get_kind_display()}
            for e in evidence_for_case(case, customer_view=False)]


def evidence_choices(case: Case) -> list[tuple[int, str]]:
    """Checkbox labels naming each file; the customer's own photos say so."""
    out = []
    for e in evidence_for_case(case, customer_view=False):
        customer = e.kind == EvidenceKind.CUSTOMER
        mark = _("customer's own photo, must be considered") if customer else e.get_kind_display()
        out.append((e.pk, f"#{e.pk} {e.original_name} ({mark})"))
    return out


def exclusions_for(case: Case, language: str, day) -> list[tuple[str, str]]:
    """The exclusions the device's own terms know on ``day``, named as inspection findings."""
    if case.device is None:
        return []
    device = device_info(case.device)
    pack = pack_for_device(device, day)
    terms = pack.lines.get(device.product_line) if pack else None
    return exclusion_choices(list(terms.exclusions) if terms else [], language)


def damage(case: Case, language: str, forms: Bound, choices: list) -> list[dict]:
    names = dict(choices)
    return [{"row": d, "code": exclusion_name(d.code, language),
             "part": part_name(d.part, language) if d.part else "",
             "status": DamageStatus(d.status).label, "open": d.status == DamageStatus.PROPOSED,
             "considered": [names.get(pk, f"#{pk}") for pk in d.considered_evidence],
             "form": forms(f"damage-{d.pk}", f.DamageDecideForm, evidence=choices)}
            for d in case.damage.select_related("proposed_by", "decided_by")]


def quotations(case: Case, user, language: str, forms: Bound) -> list[dict]:
    zh = is_zh(language)
    services = dict(f.service_choices(language))
    out = []
    for q in case.quotations.select_related("author", "verifier").prefetch_related("lines"):
        lines = [{"line": line, "service": services.get(line.service, line.service),
                  "part": part_name(line.part, language) if line.part else "",
                  "text": line.text_zh if zh else line.text_en,
                  "decision": _("Not answered yet") if line.decision == LineDecision.PENDING
                  else LineDecision(line.decision).label} for line in q.lines.all()]
        out.append({
            "q": q, "status": QuotationStatus(q.status).label, "lines": lines,
            "total": sum((x["line"].price for x in lines if not x["line"].covered), Decimal(0)),
            # why it needs a verifier: said only while it waits for one
            "reasons": [r["zh"] if zh else r["en"] for r in q.needs_verification]
            if q.status == QuotationStatus.AWAITING_VERIFICATION else [],
            "verifiable": q.status == QuotationStatus.AWAITING_VERIFICATION and q.author_id != user.pk,
            "sendable": q.status == QuotationStatus.READY,
            "verify_form": forms(f"verify-{q.pk}", f.VerifyForm),
            "send_form": forms(f"send-{q.pk}", f.EmptyForm),
            "answer_form": forms(f"answer-{q.pk}", f.AnswerForm, lines=list(q.lines.all())),
        })
    return out


def parts_used(case: Case, language: str, forms: Bound) -> list[dict]:
    return [{"usage": u, "part": part_name(u.part, language), "form": forms(f"stock-{u.pk}", f.EmptyForm)}
            for u in case.parts_used.select_related("fitted_by", "returned_by")]


def follow_ups(case: Case, forms: Bound) -> list[dict]:
    return [{"item": item, "form": forms(f"resolve-{item.pk}", f.ResolveForm)}
            for item in case.follow_ups.select_related("resolved_by").order_by("resolved_at", "opened_at")]


def charges(case: Case) -> tuple[list, list[tuple[str, Decimal]]]:
    rows = list(case.charges.all())
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for charge in rows:
        totals[charge.currency] += charge.amount
    return rows, sorted(totals.items())

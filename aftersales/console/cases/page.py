"""One case on one page: its header with the stepper and the moves open to the viewer, then tabs
of sections (``workspace``) — faults and findings, tests, warranty decisions, damage, evidence,
quotations, repair, follow-ups and messages, return, charges, the timeline — plus the repair
report as the customer gets it.

Times are shown in the service centre's time zone, where the device is.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from aftersales.accounts.guards import action_required
from aftersales.console.cases import forms as f
from aftersales.console.cases import sections
from aftersales.console.cases.offers import desk_status, moves_for, offers_for
from aftersales.console.cases.scope import case_in_scope
from aftersales.console.cases.workspace import TABS, open_tab, stepper, tab_of_section
from aftersales.core import clock
from aftersales.policy.vocabulary import PRODUCT_LINES
from aftersales.repairs.models import Case, Kind, Preference
from aftersales.repairs.numbers import display
from aftersales.repairs.selectors import is_late
from aftersales.warranty.presentation import label

LANGUAGES = {"en": "English", "zh-hans": "简体中文"}


def header(case: Case, user, language: str, forms: sections.Bound, now) -> dict:
    moves = [{"to": m.to, "button": m.button, "section": m.section, "tab": tab_of_section(m.section),
              "label": desk_status(m.to, language) if m.button else m.step}
             for m in moves_for(user, case)]
    return {
        "number": display(case.number), "status": desk_status(case.status, language),
        "late": is_late(case, now), "age": (now - case.created_at).days,
        "centre": case.centre.name(language), "kind": Kind(case.kind).label,
        "preference": f.PREFERENCE_FOR_STAFF[Preference(case.preference)],
        "line": label(PRODUCT_LINES, case.product_line, language) if case.product_line in PRODUCT_LINES else "",
        "language": LANGUAGES.get(case.language, case.language), "moves": moves,
        "move_form": forms("move", f.MoveForm, initial={"expected": case.status}),
    }


def diagnosis_context(case: Case, language: str, forms: sections.Bound, now) -> dict:
    """Faults and findings, tests, warranty decisions, damage and evidence."""
    evidence_choices = sections.evidence_choices(case)
    faults = sections.faults(case, language, forms)
    return {
        "faults": faults, "tests": sections.tests(case),
        "test_form": forms("test", f.TestForm, faults=[x["symptom"] for x in faults]),
        "decisions": sections.decisions(case, language), "faulty_parts": sections.faulty_parts(case, language),
        "decide_form": forms("decide", f.PartDecideForm),
        "damage": sections.damage(case, language, forms, evidence_choices),
        "propose_form": forms("propose", f.DamageProposeForm, evidence=evidence_choices,
                              exclusions=sections.exclusions_for(case, language, case.day(now))),
        "evidence": sections.evidence(case), "evidence_form": forms("evidence", f.EvidenceForm),
    }


def handover_context(case: Case, user, language: str, forms: sections.Bound) -> dict:
    """Quotations, the repair, follow-ups and messages, the return and the charges."""
    quote = forms.bound["quote"] if "quote" in forms.bound else (
        f.QuotationForm(prefix="quote", language=language), f.LineFormSet(prefix="line", language=language))
    follow_ups = sections.follow_ups(case, forms)
    charges, totals = sections.charges(case)
    return {
        "quotations": sections.quotations(case, user, language, forms),
        "quote_form": quote[0], "line_formset": quote[1],
        "parts_used": sections.parts_used(case, language, forms), "fit_form": forms("fit", f.FitForm),
        "follow_ups": follow_ups, "open_follow_ups": sum(1 for x in follow_ups if not x["item"].resolved_at),
        "shipments": case.shipments.order_by("shipped_at", "id"), "advance": getattr(case, "advance", None),
        "ship_form": forms("ship", f.ShipForm), "advance_form": forms("advance", f.AdvanceForm),
        "delivered_form": forms("delivered", f.EmptyForm), "collect_form": forms("collect", f.HandOverForm),
        "charges": charges, "charge_totals": totals,
    }


def case_context(request, case: Case, bound: dict | None = None) -> dict:
    language, user, now = get_language(), request.user, clock.now()
    forms = sections.Bound(language, bound)
    return {
        "case": case, "head": header(case, user, language, forms, now), "offers": offers_for(user, case),
        "stepper": stepper(case, language), "tabs": TABS, "tab": open_tab(case, request.GET.get("tab"), bound),
        "centre_tz": case.centre.timezone, "events": sections.timeline(case, language),
        **diagnosis_context(case, language, forms, now), **handover_context(case, user, language, forms),
    }


def render_case(request, case: Case, *, bound: dict | None = None, status: int = 200) -> HttpResponse:
    case = Case.objects.select_related("centre", "device").get(pk=case.pk)  # as it stands now
    return render(request, "console/cases/case.html", case_context(request, case, bound), status=status)


@require_GET
@action_required("case.view")
def case_detail(request, number: str):
    return render_case(request, case_in_scope(request.user, number))


@require_GET
@action_required("case.view")
def case_report(request, number: str):
    """The repair report PDF as the customer will get it, shown in the browser; ``?lang=``
    switches language (the customer's by default)."""
    from aftersales.repairs.report import report_pdf

    case = case_in_scope(request.user, number)
    language = request.GET.get("lang") if request.GET.get("lang") in LANGUAGES else case.language
    response = HttpResponse(report_pdf(case, language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="repair-report-{case.number}-{language}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response

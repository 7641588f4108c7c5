"""The papers of one case printed at the counter: the job sheet (the intake receipt with what the
customer acknowledged) and the device label with the case number as a QR code, both PDFs shown in
the browser to print. ``?lang=`` switches the job sheet's language (the customer's by default)."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from aftersales.accounts.guards import action_required
from aftersales.console.cases.page import LANGUAGES
from aftersales.console.cases.scope import case_in_scope


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@action_required("case.view")
def job_sheet(request, number: str):
    from aftersales.repairs.job_sheet import job_sheet_pdf

    case = case_in_scope(request.user, number)
    language = request.GET.get("lang") if request.GET.get("lang") in LANGUAGES else case.language
    return _pdf(job_sheet_pdf(case, language), f"job-sheet-{case.number}-{language}.pdf")


@require_GET
@action_required("case.view")
def device_label(request, number: str):
    from aftersales.repairs.job_sheet import label_pdf

    case = case_in_scope(request.user, number)
    return _pdf(label_pdf(case), f"label-{case.number}.pdf")

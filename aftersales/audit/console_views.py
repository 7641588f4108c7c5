"""The audit in the console, for auditors: start a run, which the worker runs in the background
while the page follows it (a status line polled until the run ends), the findings by rule with
filters, and one finding's page with its evidence, where it is approved — the customer paid back
through the ledger and written to — or rejected with a reason. Each post calls one service."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aftersales.accounts.guards import action_required
from aftersales.accounts.roles import user_can
from aftersales.audit.compensation import case_of, finding_approve, finding_reject, payable
from aftersales.audit.forms import FindingFilters, RejectForm
from aftersales.audit.models import AuditFinding, AuditRun, Review
from aftersales.audit.presentation import finding_evidence, history_facts, paid_back_before, run_shown
from aftersales.audit.runs import audit_run_start
from aftersales.audit.selectors import findings_page
from aftersales.audit.wording import rule_name
from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.warranty.presentation import is_zh

RUNS_SHOWN = 10


@require_GET
@action_required("audit.run")
def audit(request):
    filters = FindingFilters(request.GET)
    data = filters.cleaned_data if filters.is_valid() else {}
    page = findings_page(rule=data.get("rule", ""), review=data.get("review", ""), source=data.get("source", ""),
                         page=request.GET.get("page", 1))
    zh = is_zh(get_language())
    rows = [{"finding": f, "rule": rule_name(f.rule).zh if zh else rule_name(f.rule).en} for f in page]
    runs = list(AuditRun.objects.select_related("started_by")[:RUNS_SHOWN])
    return render(request, "audit/console_audit.html", {
        "filters": filters, "page": page, "rows": rows, "runs": runs,
        "run": run_shown(runs[0] if runs else None, get_language()),
        "query": _without_page(request.GET)})


def _without_page(query) -> str:
    query = query.copy()
    query.pop("page", None)
    return query.urlencode()


@require_POST
@action_required("audit.run")
def audit_start(request):
    try:
        audit_run_start(actor=request.user, now=clock.now())
    except AppError as exc:
        messages.error(request, exc.message(get_language()))
    else:
        messages.success(request, _("The audit has started; this page follows it."))
    return redirect("console:audit")


@require_GET
@action_required("audit.run")
def audit_run_status(request, pk: int):
    """The status line of one run, polled by the page while it runs; 286 tells htmx to stop."""
    run = get_object_or_404(AuditRun, pk=pk)
    return render(request, "audit/_run_status.html", {"run": run_shown(run, get_language())},
                  status=286 if run.finished else 200)


def _finding_page(request, pk: int, *, form: RejectForm | None = None, status: int = 200):
    finding = get_object_or_404(AuditFinding.objects.select_related("run", "reviewed_by", "transfer"), pk=pk)
    language = get_language()
    name = rule_name(finding.rule)
    return render(request, "audit/console_finding.html", {
        "finding": finding, "rule": name.zh if is_zh(language) else name.en,
        "evidence": finding_evidence(finding, language), "open": finding.review == Review.OPEN,
        "paid_before": paid_back_before(finding), "repair": history_facts(finding, language),
        # what approving would pay back now: the overcharge, or less on a partly paid case
        "payable": payable(finding, case_of(finding))[0] if finding.review == Review.OPEN else None,
        "may_review": user_can(request.user, "audit.review"), "form": form or RejectForm()}, status=status)


@require_GET
@action_required("audit.run")
def finding(request, pk: int):
    return _finding_page(request, pk)


@require_POST
@action_required("audit.review")
def finding_approval(request, pk: int):
    try:
        finding_approve(finding_id=pk, actor=request.user, now=clock.now())
    except AppError as exc:
        messages.error(request, exc.message(get_language()))
        return _finding_page(request, pk, status=exc.status if exc.status in (403, 404, 409) else 422)
    messages.success(request, _("Approved: the customer is paid back and the letter is written."))
    return redirect("console:audit-finding", pk=pk)


@require_POST
@action_required("audit.review")
def finding_rejection(request, pk: int):
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            finding_reject(finding_id=pk, reason=form.cleaned_data["reason"], actor=request.user, now=clock.now())
        except AppError as exc:
            if exc.field:
                form.add_app_error(exc, get_language())
            else:  # decided meanwhile: the form is no longer shown, so the page says why
                messages.error(request, exc.message(get_language()))
            return _finding_page(request, pk, form=form, status=exc.status if exc.status in (403, 404, 409) else 422)
        messages.success(request, _("Rejected; nothing is paid."))
        return redirect("console:audit-finding", pk=pk)
    return _finding_page(request, pk, form=form, status=422)

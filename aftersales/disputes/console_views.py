"""The executive-care console: the dispute queue (soonest answer first, by state), one dispute's
page beside its case's whole history, and the posts that work it — assignment, internal notes,
each resolution, a question to the customer (which pauses the clocks until they answer), closing. Only executive-care agents open any of it (``dispute.work``).

The queue and the page show the dispute's service-level clocks (``sla_clock``): the queue is
ordered by them. The page shows what the customer wrote and sent, the notes and resolutions so far, and, for a
case of ours, the case's timeline, evidence, damage decisions, quotations and charges as the
console's case page shows them (its own sections, read-only here) and the case's conversation
with the customer. Each post validates its form and calls one service; a refusal shows the page
again with the form as it was filled in and every reason beside it.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aftersales.accounts.guards import action_required
from aftersales.console.cases.page import case_context
from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.disputes import forms as f
from aftersales.disputes import resolutions as r
from aftersales.disputes.due import answer_clocks
from aftersales.disputes.models import ResolutionKind, State
from aftersales.disputes.questions import dispute_answer_received, dispute_ask
from aftersales.disputes.selectors import damage_decisions, dispute_page, dispute_queue
from aftersales.disputes.services import dispute_assign, dispute_note_add, dispute_resolve
from aftersales.evidence.views import evidence_response
from aftersales.policy.vocabulary import REGIONS
from aftersales.warranty.presentation import label


@require_GET
@action_required("dispute.work")
def disputes(request):
    filters = f.QueueFilters(request.GET)
    data = filters.cleaned_data if filters.is_valid() else {}
    now = clock.now()
    queue = dispute_queue(state=data.get("state", ""), assignee=request.user if data.get("mine") else None)
    clocks = answer_clocks(queue, now)
    rows = [{"dispute": d, "clock": clocks.get(d.number), "state": State(d.state).label} for d in queue]
    return render(request, "disputes/console_queue.html", {"filters": filters, "rows": rows})


def _photos(dispute) -> list[tuple[int, str]]:
    if dispute.case is None:
        return []
    return [(e.pk, f"#{e.pk} {e.original_name}") for e in dispute.case.evidence.order_by("uploaded_at", "id")]


def _forms(dispute, bound: dict) -> dict:
    photos = _photos(dispute)

    def resolution(kind: str):
        return bound.get(kind) or f.ResolutionForm(prefix=kind, photos=photos,
                                                   initial={"kind": kind, "key": f.request_key()})

    return {"assign_form": bound.get("assign") or f.AssignForm(prefix="assign", initial={"assignee": dispute.assignee}),
            "note_form": bound.get("note") or f.NoteForm(prefix="note"),
            "ask_form": bound.get("ask") or f.AskForm(prefix="ask"),
            "answered_form": bound.get("answered") or f.ConsoleForm(prefix="answered"),
            "close_form": bound.get("close") or f.ConsoleForm(prefix="close"),
            "resolution_forms": {kind: resolution(kind) for kind in ResolutionKind.values}}


def _decisions(dispute, user) -> dict:
    """The damage decisions ``user`` may look at again, and those they made themselves (which
    another member of staff must look at: the page says so rather than offer them)."""
    found = list(damage_decisions(dispute))
    return {"decisions": [d for d in found if d.decided_by_id != user.pk],
            "own_decisions": [d for d in found if d.decided_by_id == user.pk]}


def render_dispute(request, number: str, *, bound: dict | None = None, status: int = 200):
    dispute = dispute_page(number)
    if dispute is None:
        raise Http404
    language = get_language()
    context = {"dispute": dispute, "waiting": dispute.state == State.WAITING,
               "country": label(REGIONS, dispute.country, language) if dispute.country in REGIONS else dispute.country,
               "open": dispute.state != State.RESOLVED, **_decisions(dispute, request.user),
               "kinds": ResolutionKind.choices, **_forms(dispute, bound or {})}
    if dispute.case is not None:
        history = case_context(request, dispute.case)
        history["offers"] = {}  # the case's own forms stay on the case page
        context["history"] = history
        context.update({k: history[k] for k in ("events", "evidence", "damage", "quotations", "charges",
                                                "charge_totals", "centre_tz", "head")})
        context["case"] = dispute.case
    return render(request, "disputes/console_dispute.html", context, status=status)


@require_GET
@action_required("dispute.work")
def dispute(request, number: str):
    return render_dispute(request, number)


@require_GET
@action_required("dispute.work")
def dispute_document(request, number: str, pk: int):
    found = dispute_page(number)
    document = found.files.filter(pk=pk).first() if found else None
    if document is None:
        raise Http404
    return evidence_response(document)


def _perform(request, number: str, key: str, form, run, done: str):
    """Validate ``form``, call the service through ``run``, and go back to the dispute; or show
    the page again with the refusal next to the form."""
    language = get_language()
    if form.is_valid():
        try:
            run(form.cleaned_data, clock.now())
        except AppError as exc:
            form.add_app_error(exc, language)
            return render_dispute(request, number, bound={key: form},
                                  status=exc.status if exc.status in (403, 404, 409) else 422)
        messages.success(request, done)
        return redirect("console:dispute", number=number)
    return render_dispute(request, number, bound={key: form}, status=422)


@require_POST
@action_required("dispute.work")
def assign(request, number: str):
    form = f.AssignForm(request.POST, prefix="assign")
    return _perform(request, number, "assign", form, lambda c, now: dispute_assign(
        number=number, assignee=c["assignee"], actor=request.user, now=now), _("Assigned."))


@require_POST
@action_required("dispute.work")
def note(request, number: str):
    form = f.NoteForm(request.POST, prefix="note")
    return _perform(request, number, "note", form, lambda c, now: dispute_note_add(
        number=number, text=c["text"], actor=request.user, now=now), _("Note added."))


def _resolve(kind: str, number: str, actor):
    """The service call for one resolution kind, from the form's cleaned data."""
    def run(c, now):
        common = {"number": number, "key": c["key"], "actor": actor, "now": now}
        if kind == ResolutionKind.ACCELERATED_REPAIR:
            return r.resolution_accelerate(explanation=c["explanation"], **common)
        if kind == ResolutionKind.REIMBURSEMENT:
            return r.resolution_reimburse(amount=c["amount"], currency=c["currency"], explanation=c["explanation"],
                                          **common)
        if kind == ResolutionKind.DAMAGE_REVIEW:
            return r.resolution_damage_review(determination=c["determination"], reverse=c["verdict"] == "reverse",
                                              note=c["explanation"], considered=c["considered"], **common)
        return r.resolution_explain(kind=kind, explanation=c["explanation"], **common)
    return run


@require_POST
@action_required("dispute.work")
def resolve(request, number: str, kind: str):
    if kind not in ResolutionKind.values:
        raise Http404
    found = dispute_page(number)
    if found is None:
        raise Http404
    form = f.ResolutionForm(request.POST, prefix=kind, photos=_photos(found))
    if kind == ResolutionKind.DAMAGE_REVIEW and request.POST.get(f"{kind}-verdict") not in ("reverse", "uphold"):
        form.is_valid()
        form.add_app_error(AppError("missing-field", "Choose whether to reverse or uphold the decision.",
                                    "请选择撤销还是维持原认定。", field="verdict"), get_language())
        return render_dispute(request, number, bound={kind: form}, status=422)
    return _perform(request, number, kind, form, _resolve(kind, number, request.user),
                    _("Done; the customer has been sent a letter."))


@require_POST
@action_required("dispute.work")
def close(request, number: str):
    form = f.ConsoleForm(request.POST, prefix="close")
    return _perform(request, number, "close", form, lambda c, now: dispute_resolve(
        number=number, actor=request.user, now=now), _("Dispute resolved."))


@require_POST
@action_required("dispute.work")
def ask(request, number: str):
    form = f.AskForm(request.POST, prefix="ask")
    return _perform(request, number, "ask", form, lambda c, now: dispute_ask(
        number=number, question=c["question"], actor=request.user, now=now),
        _("Question sent; the clocks wait for the customer's answer."))


@require_POST
@action_required("dispute.work")
def answered(request, number: str):
    form = f.ConsoleForm(request.POST, prefix="answered")
    return _perform(request, number, "answered", form, lambda c, now: dispute_answer_received(
        number=number, actor=request.user, now=now), _("Back in review; the clocks run again."))

"""The posts of the visit page, one service each: validate the form, call the service, and go back
to the visit with a note of what was done (post/redirect/get); or, when the service refuses, show
the visit again with the form as filled in and the refusal in the reader's words.

Each door names its action; a visit of a centre the reader does not read answers 404. A refusal
answers 409 when the visit moved on meanwhile (or the slot was taken), 422 otherwise.
"""

from __future__ import annotations

from typing import Callable
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.accounts.guards import action_required
from aftersales.console.visits import forms as f
from aftersales.console.visits.page import render_visit, slot_choices, technicians, visit_in_scope
from aftersales.core import clock
from aftersales.core.errors import AppError, Conflict
from aftersales.onsite.eligibility import case_pack
from aftersales.onsite.on_the_day import visit_check_in, visit_check_out, visit_fee_agree
from aftersales.onsite.visits import visit_cancel, visit_move


def _perform(request, visit, key: str, form, run: Callable, *, done: str):
    """``run(cleaned_data, now)`` calls the one service."""
    status = 422
    if form.is_valid():
        try:
            run(form.cleaned_data, clock.now())
        except AppError as exc:
            messages.error(request, exc.message(get_language()))
            status = 409 if exc.status == 409 else 422
        else:
            messages.success(request, done)
            return redirect("console:visit", public_id=visit.public_id)
    return render_visit(request, visit, bound={key: form}, status=status)


def _pack(visit, now):
    line = visit.lines.select_related("case__centre", "case__device").order_by("pk").first()
    return case_pack(line.case, now.astimezone(ZoneInfo(visit.centre.timezone)).date()) if line else None


@require_POST
@action_required("visit.manage")
def reassign(request, public_id):
    visit = visit_in_scope(request.user, public_id)
    people = technicians(visit.centre)
    form = f.ReassignForm(request.POST, technicians=people, current=visit.technician_id)

    def run(data, now):
        try:
            visit_move(public_id=visit.public_id, technician=data["technician"], starts_at=visit.starts_at,
                       evening=visit.evening, pack=_pack(visit, now), actor=request.user, now=now)
        except Conflict as exc:
            if exc.code != "slot-taken":
                raise
            name = dict(people)[data["technician"]]
            raise Conflict(exc.code, f"{name} already has a visit at that time (travel included). Choose another "
                                     f"technician, or move the visit.",
                           f"{name} 在该时段已有上门安排（含路程时间）。请选择其他工程师，或改约时间。") from exc

    return _perform(request, visit, "reassign", form, run, done=_("The visit is reassigned."))


@require_POST
@action_required("visit.manage")
def reschedule(request, public_id):
    visit = visit_in_scope(request.user, public_id)
    now = clock.now()
    pack = _pack(visit, now)
    form = f.RescheduleForm(request.POST, slots=slot_choices(visit, pack, now, get_language().startswith("zh")))

    def run(data, now):
        starts_at, evening = data["slot"]
        visit_move(public_id=visit.public_id, technician=None, starts_at=starts_at, evening=evening, pack=pack,
                   actor=request.user, now=now)

    return _perform(request, visit, "reschedule", form, run, done=_("The visit is moved."))


@require_POST
@action_required("visit.manage")
def fee_agree(request, public_id):
    visit = visit_in_scope(request.user, public_id)
    form = f.FeeForm(request.POST)

    def run(data, now):
        visit_fee_agree(public_id=visit.public_id, amount=data["amount"], actor=request.user, now=now)

    return _perform(request, visit, "fee", form, run, done=_("The trip fee is recorded."))


@require_POST
@action_required("visit.work")
def check_in(request, public_id):
    visit = visit_in_scope(request.user, public_id)

    def run(data, now):
        visit_check_in(public_id=visit.public_id, photos=request.FILES.getlist("check-in-photos"),
                       actor=request.user, now=now)

    return _perform(request, visit, "check_in", f.CheckInForm(request.POST), run,
                    done=_("Checked in. The cases are in diagnosis: record the findings on each case."))


@require_POST
@action_required("visit.work")
def check_out(request, public_id):
    visit = visit_in_scope(request.user, public_id)

    def run(data, now):
        visit_check_out(public_id=visit.public_id, confirmed_by=data["confirmed_by"],
                        photos=request.FILES.getlist("check-out-photos"), actor=request.user, now=now)

    return _perform(request, visit, "check_out", f.CheckOutForm(request.POST), run,
                    done=_("Checked out. The visit is done."))


@require_POST
@action_required("visit.manage")
def cancel(request, public_id):
    visit = visit_in_scope(request.user, public_id)

    def run(data, now):
        visit_cancel(public_id=visit.public_id, reason=data["reason"], actor=request.user, now=now)

    return _perform(request, visit, "cancel", f.CancelForm(request.POST), run, done=_("The visit is cancelled."))


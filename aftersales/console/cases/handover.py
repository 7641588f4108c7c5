"""Posts of the repair and return sections: parts fitted and removed parts back in stock,
follow-ups answered, and the device going back — shipped, delivered, collected at the counter, or
a replacement sent ahead."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.accounts.guards import action_required
from aftersales.console.cases import forms as f
from aftersales.console.cases.perform import perform
from aftersales.console.cases.scope import case_in_scope
from aftersales.repairs.repair import part_fit, part_return_to_stock
from aftersales.repairs.returns import advance_ship, case_delivered, case_hand_over, case_ship, follow_up_resolve


def _form(request, cls, key: str):
    return cls(request.POST, prefix=key, language=get_language())


def _owned(related, pk: int) -> None:
    if not related.filter(pk=pk).exists():
        raise Http404(pk)


@require_POST
@action_required("case.repair")
def fit(request, number: str):
    case = case_in_scope(request.user, number)

    def run(c, now):
        part_fit(number=case.number, part=c["part"], new_serial=c["new_serial"], old_serial=c["old_serial"],
                 actor=request.user, now=now)

    return perform(request, case, "fit", _form(request, f.FitForm, "fit"), run, anchor="repair",
                   done=_("Part fitted."))


@require_POST
@action_required("case.repair")
def back_to_stock(request, number: str, pk: int):
    case = case_in_scope(request.user, number)
    _owned(case.parts_used, pk)

    def run(c, now):
        part_return_to_stock(usage_id=pk, actor=request.user, now=now)

    return perform(request, case, f"stock-{pk}", _form(request, f.EmptyForm, f"stock-{pk}"), run,
                   anchor="repair", done=_("Removed part marked as back in stock."))


@require_POST
@action_required("follow-up.resolve")
def follow_up_answer(request, number: str, pk: int):
    case = case_in_scope(request.user, number)
    _owned(case.follow_ups, pk)

    def run(c, now):
        follow_up_resolve(follow_up_id=pk, resolution=c["resolution"], actor=request.user, now=now)

    return perform(request, case, f"resolve-{pk}", _form(request, f.ResolveForm, f"resolve-{pk}"), run,
                   anchor="follow-ups", done=_("Follow-up resolved."))


@require_POST
@action_required("case.ship")
def ship(request, number: str):
    case = case_in_scope(request.user, number)

    def run(c, now):
        case_ship(number=case.number, carrier=c["carrier"], tracking=c["tracking"], actor=request.user, now=now)

    return perform(request, case, "ship", _form(request, f.ShipForm, "ship"), run, anchor="return",
                   done=_("Shipped."))


@require_POST
@action_required("case.ship")
def delivered(request, number: str):
    case = case_in_scope(request.user, number)

    def run(c, now):
        case_delivered(number=case.number, actor=request.user, now=now)

    return perform(request, case, "delivered", _form(request, f.EmptyForm, "delivered"), run, anchor="return",
                   done=_("Marked as delivered."))


@require_POST
@action_required("case.ship")
def collect(request, number: str):
    case = case_in_scope(request.user, number)

    def run(c, now):
        case_hand_over(number=case.number, identity_checked=c["identity_checked"],
                       returned_complete=c["returned_complete"], actor=request.user, now=now)

    return perform(request, case, "collect", _form(request, f.HandOverForm, "collect"), run, anchor="return",
                   done=_("Handed over at the counter."))


@require_POST
@action_required("case.ship")
def advance(request, number: str):
    case = case_in_scope(request.user, number)

    def run(c, now):
        advance_ship(number=case.number, replacement_serial=c["replacement_serial"], carrier=c["carrier"],
                     tracking=c["tracking"], actor=request.user, now=now)

    return perform(request, case, "advance", _form(request, f.AdvanceForm, "advance"), run, anchor="return",
                   done=_("Replacement sent ahead."))

"""The status buttons. Each posts the move and the status the page showed (``expected``), so a
case someone else moved meanwhile is refused with ``case-changed`` instead of being moved from a
state nobody looked at. Who may make the move, and what must hold first, ``case_transition``
decides; a note for the customer goes into the case's conversation (``case_move_noted``)."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.accounts.guards import action_required
from aftersales.console.cases.forms import MoveForm
from aftersales.console.cases.offers import desk_status
from aftersales.console.cases.perform import perform
from aftersales.console.cases.scope import case_in_scope
from aftersales.conversation.services import case_move_noted
from aftersales.repairs.status import Status


@require_POST
@action_required("case.view")
def case_move_view(request, number: str):
    case = case_in_scope(request.user, number)
    language = get_language()
    form = MoveForm(request.POST, prefix="move", language=language)
    to = request.POST.get("move-to", "")

    def run(data, now):
        case_move_noted(number=case.number, to=to, actor=request.user, now=now, expected=data["expected"] or None,
                        note=data["note"], language=language)

    done = _("Case moved to “%(status)s”.") % {"status": desk_status(to, language)} if to in Status.values else ""
    return perform(request, case, "move", form, run, anchor="top", done=done)

"""The status buttons. Each posts the move and the status the page showed (``expected``), so a
case someone else moved meanwhile is refused with ``case-changed`` instead of being moved from a
state nobody looked at."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.accounts.guards import action_required
from aftersales.accounts.roles import user_can
from aftersales.console.cases.forms import MoveForm
from aftersales.console.cases.offers import MOVE_ACTIONS, MOVED_BY_FORM, desk_status
from aftersales.console.cases.perform import perform, refuse
from aftersales.console.cases.scope import case_in_scope
from aftersales.core.errors import Conflict, Forbidden
from aftersales.repairs.services import case_transition
from aftersales.repairs.status import Status

BY_TIMER = {Status.IN_STORAGE, Status.DISPOSAL_REVIEW}


@require_POST
@action_required("case.view")
def case_move(request, number: str):
    case = case_in_scope(request.user, number)
    language = get_language()
    form = MoveForm(request.POST, prefix="move", language=language)
    to = request.POST.get("move-to", "")
    if to in MOVED_BY_FORM or to in BY_TIMER:
        return refuse(request, case, "move", form, Conflict(
            "move-has-its-own-form",
            "This move is made by its own step: send the quotation, ship, hand over at the counter, or "
            "let the storage timers run.",
            "此状态变更由相应步骤完成：发送报价、寄出、柜台交还，或由保管计时自动变更。", field="status"))
    if to in MOVE_ACTIONS and not user_can(request.user, MOVE_ACTIONS[to]):
        return refuse(request, case, "move", form, Forbidden(
            "forbidden", "Your role may not do this.", "您的角色无权执行此操作。", field="status"))

    def run(data, now):
        case_transition(number=case.number, to=to, actor=request.user, now=now,
                        expected=data["expected"] or None, note=data["note"].strip())

    return perform(request, case, "move", form, run, anchor="top",
                   done=_("Case moved to “%(status)s”.") % {"status": desk_status(to, language)})

"""What the dashboard puts first for the roles whose own tools come later, so that everyone who
signs in lands on work: an executive-care agent sees the cases waiting for something they may do
(decide a damage proposal, answer a follow-up), the repairs executive care accelerated first and
marked; an auditor sees the cases most recently closed, to read (closed cases have no priority
left to give). Both read every centre (``accounts.scope``); the lists are the same for staff who hold
either role beside their own."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from aftersales.accounts.roles import Role, roles_of
from aftersales.accounts.scope import readable_centres
from aftersales.console.cases.offers import desk_status
from aftersales.disputes.selectors import accelerated
from aftersales.repairs.numbers import display
from aftersales.repairs.worklists import cases_recently_closed, cases_waiting_for_care

SIZE = 25


def _row(case, language: str, needs: list[str], priority: bool = False) -> dict:
    return {"case": case, "number": display(case.number), "status": desk_status(case.status, language),
            "centre": case.centre.name(language), "needs": needs, "priority": priority}


def worklists(user, language: str) -> list[dict]:
    """The dashboard's case lists for ``user``: a title, a sentence, the rows and a link to more."""
    roles, centres = roles_of(user), readable_centres(user)
    lists = []
    if Role.EXEC_CARE in roles:
        cases = cases_waiting_for_care(centres=centres, limit=SIZE, first=accelerated())
        lists.append({
            "title": _("Cases waiting for you"),
            "text": _("Open cases with a damage proposal to decide or a customer's follow-up to answer, oldest "
                      "first."),
            "empty": _("No case is waiting for a damage decision or a follow-up."),
            "rows": [_row(c, language, [str(w) for w, on in ((_("damage to decide"), c.damage_waiting),
                                                              (_("follow-up to answer"), c.follow_up_waiting)) if on],
                                 priority=c.first)
                     for c in cases]})
    if Role.AUDITOR in roles:
        lists.append({
            "title": _("Recently closed cases"),
            "text": _("The cases closed most recently, to read; every closed case is in the search."),
            "empty": _("No case has been closed yet."),
            "rows": [_row(c, language, []) for c in cases_recently_closed(centres=centres, limit=SIZE)],
            "more": "closed"})
    return lists

"""Which forms the case page offers: by the person's roles (``roles.ACTIONS``) and the step the
case is at. This is a courtesy, not the rule: each post is checked again at the door and by
its service, which refuses with its own code whatever the page showed.

``case_transition`` itself checks no role, so the status buttons name the action each move
needs here (``MOVE_ACTIONS``) and the move handler checks it. Some moves belong to another
form — a quotation sent, a shipment, a pickup — and the storage timers make the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from aftersales.accounts.roles import user_can
from aftersales.repairs.models import Case, Kind, Preference
from aftersales.repairs.status import CLOSED, TRANSITIONS, Status, status_label

S = Status
MOVE_ACTIONS: dict[str, str] = {
    S.RECEIVED: "case.intake",
    S.CANCELLED: "case.intake",
    S.DIAGNOSING: "case.diagnose",
    S.REPAIRING: "case.repair",
    S.QA: "case.repair",
    S.READY: "case.repair",
}
# Moves made by another form on the page: the section that holds it, and what the step is called.
MOVED_BY_FORM: dict[str, str] = {S.AWAITING_CUSTOMER: "quotation", S.SHIPPED: "return", S.COLLECTED: "return"}
FORM_STEPS = {S.AWAITING_CUSTOMER: _("Send a quotation"), S.SHIPPED: _("Ship it back"),
              S.COLLECTED: _("Hand over at the counter")}
# The status names speak to the customer ("Waiting for your decision"); at the desk some read
# better from the other side.
DESK_NAMES = {S.AWAITING_CUSTOMER: ("Waiting for the customer", "等待客户答复")}


def desk_status(status: str, language: str) -> str:
    if status in DESK_NAMES:
        en, zh = DESK_NAMES[status]
        return zh if language.startswith("zh") else en
    return status_label(status, language)
HELD = frozenset({S.READY, S.IN_STORAGE, S.DISPOSAL_REVIEW})


@dataclass(frozen=True)
class Move:
    to: str
    button: bool  # False: made by the form in ``section``
    section: str = ""


def moves_for(user, case: Case) -> list[Move]:
    """The moves out of the case's status this person can make, in the order of ``Status``."""
    out = []
    for to in [s for s in Status.values if s in TRANSITIONS.get(case.status, ())]:
        if to in MOVE_ACTIONS and user_can(user, MOVE_ACTIONS[to]):
            out.append(Move(to, True))
        elif to in MOVED_BY_FORM:
            out.append(Move(to, False, MOVED_BY_FORM[to]))
    return out


def offers_for(user, case: Case) -> dict[str, bool]:
    s = case.status
    can = lambda action: user_can(user, action)  # noqa: E731
    return {
        "findings": can("case.diagnose") and s == S.DIAGNOSING,
        "tests": can("case.diagnose") and s == S.DIAGNOSING,
        "qa": can("case.repair") and s == S.QA,
        "part_decide": can("case.diagnose") and s in (S.DIAGNOSING, S.AWAITING_CUSTOMER),
        "damage_propose": can("damage.propose") and s == S.DIAGNOSING,
        "damage_decide": can("damage.decide") and s in (S.DIAGNOSING, S.AWAITING_CUSTOMER),
        "evidence": can("evidence.add"),
        "quote_draft": can("quote.author") and s == S.DIAGNOSING,
        "quote_send": can("quote.author") and s == S.DIAGNOSING,
        "quote_verify": can("quote.verify"),
        "fit": can("case.repair") and s == S.REPAIRING,
        "stock": can("case.repair"),
        "resolve": can("case.view"),
        "ship": can("case.ship") and s in HELD,
        "collect": can("case.ship") and s in HELD,
        "delivered": can("case.ship") and s == S.SHIPPED,
        "advance": (can("case.ship") and s == S.BOOKED and case.kind == Kind.MAIL_IN
                    and case.preference == Preference.REFURBISHED),
        "open": s not in CLOSED,
    }

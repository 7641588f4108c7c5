"""Which forms the case page offers: by the person's roles (``roles.ACTIONS``) and the step the
case is at. This is a courtesy, not the rule: each post is checked again by its service, and
every move by ``case_transition``, which refuses with its own code whatever the page showed.

The status buttons come from ``status.TRANSITIONS``: a plain move the person's role may make is a
button; a move that belongs to a step (a quotation sent, the customer's answer, a shipment, a
pickup) points to the section that holds that step's form; the storage timers make the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from aftersales.accounts.roles import user_can
from aftersales.repairs.models import Case, Kind, Preference
from aftersales.repairs.status import CLOSED, HELD, Status, desk_label, moves_from

S = Status
# Steps whose form is on the page: the section that holds it, and what the step is called.
FORM_STEPS: dict[str, tuple[str, str]] = {
    "quotation": ("quotation", _("Send a quotation")),
    "answer": ("quotation", _("Record the customer's answer")),
    "shipment": ("return", _("Ship it back")),
    "pickup": ("return", _("Hand over at the counter")),
    "delivery": ("return", _("Mark as delivered")),
}


def desk_status(status: str, language: str) -> str:
    return desk_label(status, language)


@dataclass(frozen=True)
class Move:
    to: str
    button: bool  # False: made by the form in ``section``
    section: str = ""
    step: str = ""  # what the form's step is called


def moves_for(user, case: Case) -> list[Move]:
    """The moves out of the case's status this person can make, in the order of ``Status``."""
    out = []
    for to, edge in moves_from(case.status):
        if not user_can(user, edge.action):
            continue
        if not edge.step:
            out.append(Move(to, True))
        elif edge.step in FORM_STEPS:
            out.append(Move(to, False, FORM_STEPS[edge.step][0], str(FORM_STEPS[edge.step][1])))
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
        "resolve": can("follow-up.resolve"),
        "record_answer": can("quote.record-answer") and s == S.AWAITING_CUSTOMER,
        "ship": can("case.ship") and s in HELD,
        "collect": can("case.ship") and s in HELD,
        "delivered": can("case.ship") and s == S.SHIPPED,
        "advance": (can("case.ship") and s == S.BOOKED and case.kind == Kind.MAIL_IN
                    and case.preference == Preference.REFURBISHED),
        "open": s not in CLOSED,
    }

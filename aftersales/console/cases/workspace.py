"""The case page as a workspace: where the case stands on its way (the stepper) and which tab of
sections is open.

The stepper reads the status graph (``repairs.status.TRANSITIONS``) and the case's own
status-change events; it keeps no list of statuses of its own:
- the *usual way* runs from booked, at each status taking the first move (in the order of
  ``Status``) to a status further along that order — booked, received, diagnosing, waiting for
  the customer, repairing, quality check, ready, shipped, returned;
- the steps *done* are the statuses the case actually went through, in order;
- the steps *ahead* continue the usual way from the current status (a status off it, such as
  storage, rejoins it at its first move that lies on it);
- the *next* statuses are every move out of the current status.

The tabs are plain links (``?tab=``) that the server answers with the chosen tab open, so they
work without JavaScript and read as a list of links to a screen reader; the open one is marked
``aria-current``. A refused form opens the tab that holds it; otherwise the tab the case's
status calls for.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from aftersales.repairs.models import Case, EventKind
from aftersales.repairs.status import Status, desk_label, moves_from

S = Status
ORDER = list(Status.values)


def usual_next(status: str) -> str | None:
    """The first move out of ``status`` to a status further along the order of ``Status``."""
    here = ORDER.index(status)
    return next((to for to, _edge in moves_from(status) if ORDER.index(to) > here), None)


def usual_way() -> list[str]:
    way, status = [S.BOOKED.value], usual_next(S.BOOKED)
    while status and status not in way:
        way.append(status)
        status = usual_next(status)
    return way


def ahead_of(status: str) -> list[str]:
    """The usual way on from ``status``: its continuation if ``status`` is on it, else from the
    first move out of ``status`` that lands on it."""
    way = usual_way()
    if status in way:
        return way[way.index(status) + 1:]
    rejoin = next((to for to, _edge in moves_from(status) if to in way), None)
    return way[way.index(rejoin):] if rejoin else []


def went_through(case: Case) -> list[str]:
    """The statuses the case was in before its current one, in the order it was in them."""
    out = [S.BOOKED.value]
    changes = case.events.filter(kind=EventKind.STATUS_CHANGED).order_by("at", "id")
    for old, new in changes.values_list("from_status", "to_status"):
        if old and old != out[-1]:
            out.append(old)
        if new:
            out.append(new)
    if out[-1] == case.status:
        out.pop()
    return out


@dataclass(frozen=True)
class Step:
    status: str
    label: str
    state: str  # "done", "current" or "ahead"
    next: bool = False  # a move out of the current status leads here


def stepper(case: Case, language: str) -> dict:
    nexts = [to for to, _edge in moves_from(case.status)]
    steps = ([Step(s, desk_label(s, language), "done") for s in went_through(case)]
             + [Step(case.status, desk_label(case.status, language), "current")]
             + [Step(s, desk_label(s, language), "ahead", s in nexts) for s in ahead_of(case.status)])
    return {"steps": steps, "next": [desk_label(s, language) for s in nexts]}


# --- tabs ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Tab:
    key: str
    label: object
    sections: tuple[str, ...]  # the ids of the sections it holds


TABS = (
    Tab("diagnosis", _("Diagnosis"), ("faults", "tests")),
    Tab("warranty", _("Warranty and damage"), ("warranty", "damage")),
    Tab("evidence", _("Evidence"), ("evidence",)),
    Tab("quotation", _("Quotation"), ("quotation",)),
    Tab("repair", _("Repair"), ("repair",)),
    Tab("messages", _("Follow-ups and messages"), ("follow-ups",)),
    Tab("return", _("Return and charges"), ("return", "charges", "money")),
    Tab("timeline", _("Timeline"), ("timeline",)),
)
TAB_KEYS = {t.key for t in TABS}
# The work the case's status calls for is on this tab.
TAB_FOR_STATUS = {
    S.BOOKED: "diagnosis", S.RECEIVED: "diagnosis", S.DIAGNOSING: "diagnosis", S.QA: "diagnosis",
    S.AWAITING_CUSTOMER: "quotation", S.REPAIRING: "repair",
    S.READY: "return", S.SHIPPED: "return", S.IN_STORAGE: "return", S.DISPOSAL_REVIEW: "return",
    S.COLLECTED: "timeline", S.CANCELLED: "timeline",
}
# The section each form of the page sits in, by the form's prefix (up to its first "-").
FORM_SECTIONS = {
    "finding": "faults", "qa": "faults", "test": "tests", "decide": "warranty", "propose": "damage",
    "damage": "damage", "evidence": "evidence", "quote": "quotation", "verify": "quotation",
    "send": "quotation", "answer": "quotation", "fit": "repair", "stock": "repair",
    "resolve": "follow-ups", "ship": "return", "advance": "return", "delivered": "return",
    "collect": "return", "payment": "money",
}


def tab_of_section(section: str) -> str | None:
    """The tab holding ``section`` (a section id, or an id inside one such as ``fault-2``)."""
    base = "faults" if section.startswith("fault-") else section
    base = "quotation" if base.startswith("quotation-") else base
    return next((t.key for t in TABS if base in t.sections), None)


def open_tab(case: Case, asked: str | None, bound: dict | None) -> str:
    for key in bound or {}:
        section = FORM_SECTIONS.get(key.split("-")[0])
        if section:
            return tab_of_section(section)
    if asked in TAB_KEYS:
        return asked
    return TAB_FOR_STATUS.get(case.status, "diagnosis")

"""Reads on disputes: the executive-care queue, soonest answer first, and one dispute's page.

The queue is ordered by the dispute's clocks (``sla.selectors.subjects_by_due``), never by a date
stored on the dispute: disputes still owed their first answer come first, the one due soonest at
the top (overdue ones first, those paused for the customer after them); then those answered and
waiting to be settled, by their resolution clock; then any without a running clock, oldest first.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet

from aftersales.disputes.clocks import FIRST_ANSWER, KIND, RESOLUTION
from aftersales.disputes.due import answer_clock
from aftersales.disputes.models import CasePriority, Dispute, State
from aftersales.sla.selectors import subjects_by_due

OPEN = (State.FILED, State.IN_REVIEW, State.WAITING)


def _by_clock() -> dict[str, int]:
    """Each dispute number with a running or paused clock, and its place in the queue."""
    order: dict[str, int] = {}
    for target in (FIRST_ANSWER, RESOLUTION):
        for number in subjects_by_due(kind=KIND, target=target):
            order.setdefault(number, len(order))
    return order


def dispute_queue(*, state: str = "", assignee=None, limit: int = 100) -> list[Dispute]:
    """Disputes in ``state`` (every open one when empty), the answer due soonest first."""
    qs = Dispute.objects.filter(state=state) if state in State.values else Dispute.objects.filter(state__in=OPEN)
    if assignee is not None:
        qs = qs.filter(assignee=assignee)
    order = _by_clock()
    rows = sorted(qs.select_related("assignee", "case"),
                  key=lambda d: (order.get(d.number, len(order)), d.filed_at, d.pk))
    return rows[:limit]


def is_overdue(dispute: Dispute, now: dt.datetime) -> bool:
    """The clock the dispute is worked against has run out (never for a resolved one)."""
    view = answer_clock(dispute, now) if dispute.state != State.RESOLVED else None
    return view is not None and view.overdue


def dispute_page(number: str) -> Dispute | None:
    return (Dispute.objects.select_related("case__centre", "case__device", "assignee").filter(number=number)
            .prefetch_related("files", "notes__author", "resolutions__by").first())


def accelerated(case: str = "pk") -> Exists:
    """The condition "executive care accelerated this repair", on the case named by ``case`` in
    the outer query (``"pk"`` in a query on cases, ``"case"`` on rows that point at one): an
    annotation or a filter, so a list reads it in the same query as its rows, never per row."""
    return Exists(CasePriority.objects.filter(case=OuterRef(case)))


def priority_cases(case_ids) -> set[int]:
    """The ids among ``case_ids`` whose repair executive care accelerated."""
    return set(CasePriority.objects.filter(case_id__in=list(case_ids)).values_list("case_id", flat=True))


def damage_decisions(dispute: Dispute) -> QuerySet:
    """The case's confirmed damage decisions, the ones a second look can reverse."""
    if dispute.case is None:
        return dispute.resolutions.none()
    return dispute.case.damage.filter(status="confirmed").select_related("decided_by")

"""Reads on disputes: the executive-care queue, soonest answer first, and one dispute's page.

The queue is ordered by the dispute's clocks (their rows' ``due_at``, read in the same query),
never by a date stored on the dispute: disputes still owed their first answer come first, the one
due soonest at the top (overdue ones first, those paused for the customer after them); then those
answered and waiting to be settled, by their resolution clock; then any without a running clock;
the earliest filed first where the clocks say nothing more.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, DateTimeField, Exists, F, OuterRef, QuerySet, Subquery, Value, When

from aftersales.disputes.clocks import FIRST_ANSWER, KIND, RESOLUTION
from aftersales.disputes.due import answer_clock
from aftersales.disputes.models import CasePriority, Dispute, State
from aftersales.sla.models import Clock, ClockState

OPEN = (State.FILED, State.IN_REVIEW, State.WAITING)


def _clock(target: str, field: str) -> Subquery:
    """The dispute's running or paused clock for ``target``: its ``field``, None without one."""
    rows = Clock.objects.filter(subject_kind=KIND, subject_id=OuterRef("number"), target=target).exclude(
        state=ClockState.STOPPED)
    return Subquery(rows.values(field)[:1])


def _by_clock(qs: QuerySet) -> QuerySet:
    """``qs`` in the queue's order, worked out by the database from the clock rows: first those
    with a first-answer clock still running or paused, then those with only the resolution clock,
    then the rest (``band`` 0, 1, 2); in each band the one due soonest first (a paused clock, with
    no due moment, after the running ones), then the earliest filed. The clocks are found by their
    unique (kind, id, target) index, one row each."""
    qs = qs.annotate(answer_clock=_clock(FIRST_ANSWER, "pk"), answer_due=_clock(FIRST_ANSWER, "due_at"),
                     settle_clock=_clock(RESOLUTION, "pk"), settle_due=_clock(RESOLUTION, "due_at"))
    qs = qs.annotate(band=Case(When(answer_clock__isnull=False, then=Value(0)),
                               When(settle_clock__isnull=False, then=Value(1)), default=Value(2)),
                     due=Case(When(answer_clock__isnull=False, then=F("answer_due")),
                              When(settle_clock__isnull=False, then=F("settle_due")), default=None,
                              output_field=DateTimeField()))
    return qs.order_by("band", F("due").asc(nulls_last=True), "filed_at", "pk")


def dispute_queue(*, state: str = "", assignee=None, limit: int = 100) -> list[Dispute]:
    """Disputes in ``state`` (every open one when empty), the answer due soonest first: ordered
    and cut to ``limit`` in the database."""
    qs = Dispute.objects.filter(state=state) if state in State.values else Dispute.objects.filter(state__in=OPEN)
    if assignee is not None:
        qs = qs.filter(assignee=assignee)
    return list(_by_clock(qs.select_related("assignee", "case"))[:limit])


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

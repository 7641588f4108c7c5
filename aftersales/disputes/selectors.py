"""Reads on disputes: the executive-care queue, soonest answer first, and one dispute's page."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from aftersales.disputes.models import CasePriority, Dispute, State

OPEN = (State.FILED, State.IN_REVIEW)


def dispute_queue(*, state: str = "", assignee=None, limit: int = 100) -> list[Dispute]:
    """Disputes in ``state`` (every open one when empty), the answer due soonest first."""
    qs = Dispute.objects.filter(state=state) if state in State.values else Dispute.objects.filter(state__in=OPEN)
    if assignee is not None:
        qs = qs.filter(assignee=assignee)
    return list(qs.select_related("assignee", "case").order_by("answer_due", "id")[:limit])


def is_overdue(dispute: Dispute, now: dt.datetime) -> bool:
    return dispute.state != State.RESOLVED and dispute.answer_due <= now


def dispute_page(number: str) -> Dispute | None:
    return (Dispute.objects.select_related("case__centre", "case__device", "assignee").filter(number=number)
            .prefetch_related("files", "notes__author", "resolutions__by").first())


def priority_cases(case_ids) -> set[int]:
    """The ids among ``case_ids`` whose repair executive care accelerated."""
    return set(CasePriority.objects.filter(case_id__in=list(case_ids)).values_list("case_id", flat=True))


def damage_decisions(dispute: Dispute) -> QuerySet:
    """The case's confirmed damage decisions, the ones a second look can reverse."""
    if dispute.case is None:
        return dispute.resolutions.none()
    return dispute.case.damage.filter(status="confirmed").select_related("decided_by")

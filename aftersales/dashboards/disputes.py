"""The chart of disputes by state, and of the open ones, how many are past their time limit.

A dispute counts at its centre: the one its service-level clocks count at (``disputes.clocks``:
the linked case's centre, or for a case from before this product the first centre in the
customer's country), read from its first-answer clock row. Disputes filed in the period are
counted by the state each is in now. An open dispute is worked against one clock at a time — the
first answer until it is given, then the resolution (``disputes.due.answer_clock``, which the
queue marks overdue by) — and is past its time limit when that clock's time has run out: a
running clock whose deadline (``due_at``, worked out again at every change) has passed, or a
clock paused for the customer with its whole budget already used. Both tests run in the database
on the stored clock rows, so the chart needs no clock read per dispute.
"""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from aftersales.dashboards.charts import Chart, Column, Scope
from aftersales.disputes.clocks import FIRST_ANSWER, KIND, RESOLUTION
from aftersales.disputes.models import Dispute, State
from aftersales.sla.models import Clock, ClockState

OPEN = (State.FILED, State.IN_REVIEW, State.WAITING)


def _clock(target: str):
    return Clock.objects.filter(subject_kind=KIND, subject_id=OuterRef("number"), target=target)


def _late(scope: Scope) -> Q:
    """The clock the dispute is worked against has run out by the end of the period."""
    ran_out = (Q(state=ClockState.RUNNING, due_at__lte=scope.until)
               | Q(state=ClockState.PAUSED, consumed__gte=F("budget")))
    answering = _clock(FIRST_ANSWER).exclude(state=ClockState.STOPPED)
    return (Q(Exists(answering.filter(ran_out)))
            | (~Q(Exists(answering)) & Q(Exists(_clock(RESOLUTION).exclude(state=ClockState.STOPPED).filter(ran_out)))))


def disputes_by_state(scope: Scope) -> list[dict]:
    """Disputes filed in the period, by the state each is in now; the open ones split into those
    within their time limit and those past it (None for resolved ones, which have no limit left)."""
    late = _late(scope)
    rows = (Dispute.objects.annotate(centre_id=Subquery(_clock(FIRST_ANSWER).values("centre_id")[:1]))
            .filter(scope.where(centre="centre_id", at="filed_at"))
            .values("state").annotate(disputes=Count("pk"), overdue=Count("pk", filter=late)).order_by())
    found = {row["state"]: row for row in rows}
    return [_row(state, found[state]) for state in State.values if state in found]


def _row(state: str, row: dict) -> dict:
    if state not in OPEN:
        return {"state": state, "within": None, "overdue": None, "resolved": row["disputes"],
                "disputes": row["disputes"]}
    return {"state": state, "within": row["disputes"] - row["overdue"], "overdue": row["overdue"], "resolved": None,
            "disputes": row["disputes"]}


BY_STATE = Chart(
    slug="disputes-by-state",
    title=_("Disputes by state and time limit"),
    summary=_("Disputes filed in the period, by the state each is in now; the open ones within the time limit "
              "for our answer and past it."),
    rows=disputes_by_state,
    category=Column("state", _("State"), "label", words=lambda row, language: str(State(row["state"]).label)),
    series=(Column("within", _("Open, within the time limit")), Column("overdue", _("Open, past the time limit")),
            Column("resolved", _("Resolved"))),
    more=(Column("disputes", _("Number of disputes")),),
    kind="stacked",
)

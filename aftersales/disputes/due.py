"""When the answer to a dispute is due: the first-answer clock's reading.

The published document ("How to File a Dispute with ASUS Customer Support", 2024-06-14) asks the
customer to allow one week for review and a response; the executive-care policy sets that week on
the dispute's first-answer clock (``clocks``), which keeps the time consumed and pauses while we
wait for the customer. This is the one place the dispute's pages, queue and e-mails read the due
date from: nothing about the dispute stores a deadline.
"""

from __future__ import annotations

import datetime as dt

from aftersales.disputes.clocks import FIRST_ANSWER, KIND, RESOLUTION, subject
from aftersales.sla.selectors import ClockView, clock_due, clocks_due


def answer_clock(dispute, now: dt.datetime) -> ClockView | None:
    """The clock the dispute is worked against now: the first answer until it is given, then the
    resolution; None for a resolved dispute (or one whose clocks never started)."""
    for target in (FIRST_ANSWER, RESOLUTION):
        view = clock_due(subject=subject(dispute), target=target, now=now)
        if view is not None and not view.stopped:
            return view
    return None


def answer_clocks(disputes, now: dt.datetime) -> dict[str, ClockView]:
    """``answer_clock`` of each of ``disputes``, by number, read in one query for a whole list."""
    views = clocks_due(kind=KIND, ids=[d.number for d in disputes], targets=(FIRST_ANSWER, RESOLUTION), now=now)
    found = {}
    for dispute in disputes:
        for target in (FIRST_ANSWER, RESOLUTION):
            view = views.get((dispute.number, target))
            if view is not None and not view.stopped:
                found[dispute.number] = view
                break
    return found


def answer_due_day(dispute, now: dt.datetime) -> dt.date | None:
    """The day the first answer is due, in the dispute centre's time; None while the clock is
    paused for the customer, or once the answer was given."""
    view = clock_due(subject=subject(dispute), target=FIRST_ANSWER, now=now)
    if view is None or view.stopped or view.due_local is None:
        return None
    return view.due_local.date()

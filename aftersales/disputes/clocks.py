"""A dispute's service-level clocks: started when it is filed, driven by its states.

Each dispute has three clocks under the executive-care policy (``policies/sla/executive-care.toml``),
named by the subject ``("dispute", number)``: acknowledge, first answer and resolution.

- Filing starts all three. The acknowledgement e-mail is written in the same transaction, so the
  acknowledge clock stops at once (the hour it allows covers a mail server slow to accept it,
  which the outbox retries).
- The first letter sent to the customer with a resolution is the first answer: it stops that clock.
- Waiting for the customer (a question asked) pauses every clock, the policy's pause state; the
  customer's reply resumes them. Resolving the dispute stops whatever still runs.
- The clocks count at the dispute's centre: the linked case's centre, or, for a case from before
  this product, the first centre (by code) in the country or region the customer named. With no
  centre there, the resolution clock (counted in a centre's opening hours) does not start; the
  calendar-day clocks do.
- A dispute filed before the policies were loaded gets its clocks later, counted from its filing
  (``clocks_backfill``, the ``start-dispute-clocks`` command).
- Escalations go to the assigned agent (owner), the agent who assigned it when that was someone
  else (team lead), and the first active administrator (manager), who is named from filing on so
  that an unassigned dispute still reaches someone.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.centres.models import ServiceCentre
from aftersales.disputes.models import Dispute, State
from aftersales.sla.models import Clock
from aftersales.sla.services import UNCHANGED, clock_assign, clock_pause, clock_start, clock_stop, clocks_follow

KIND = "dispute"
POLICY = "executive-care"
ACKNOWLEDGE, FIRST_ANSWER, RESOLUTION = "acknowledge", "first-answer", "resolution"
TARGETS = (ACKNOWLEDGE, FIRST_ANSWER, RESOLUTION)
OPEN_STATES = (State.FILED, State.IN_REVIEW, State.WAITING)


def subject(dispute) -> tuple[str, str]:
    return KIND, dispute.number


def dispute_centre(dispute) -> ServiceCentre | None:
    """Where the dispute's clocks count: its case's centre, else the first in the customer's country."""
    if dispute.case is not None:
        return dispute.case.centre
    return ServiceCentre.objects.filter(region=dispute.country).order_by("code").first()


def _manager():
    return (User.objects.filter(is_active=True).filter(Q(is_superuser=True) | Q(groups__name=Role.ADMIN))
            .order_by("pk").first())


def clocks_start(*, dispute, now: dt.datetime, since: dt.datetime | None = None) -> None:
    """Start the dispute's clocks at filing (``since``: the filing, when they start later); the
    acknowledgement is written with the filing."""
    centre = dispute_centre(dispute)
    common = {"subject": subject(dispute), "policy": POLICY, "now": now, "centre": centre, "manager": _manager(),
              "title": (f"Dispute {dispute.display_number}", f"争议 {dispute.display_number}"),
              "link": reverse("console:dispute", args=[dispute.number]), "since": since}
    for target in TARGETS if centre is not None else (ACKNOWLEDGE, FIRST_ANSWER):
        clock_start(target=target, **common)
    clock_stop(subject=subject(dispute), target=ACKNOWLEDGE, now=now, at=since)


def clocks_backfill(*, now: dt.datetime) -> list[str]:
    """Start the clocks of the open disputes that have none (filed before service-level policies
    were loaded), counted from the moment each was filed: the acknowledgement went with the
    filing, so that clock stops then; the first letter with a resolution stops the first answer
    at its moment; a dispute waiting for the customer pauses at its latest question. The time
    counts on the calendars exactly as it would have (``sla.services`` LATE_MOMENTS: nothing is
    added to a deadline); a wait for the customer answered since is not on record and counts.
    Returns the numbers started; run again, it finds none."""
    clockless = ~Exists(Clock.objects.filter(subject_kind=KIND, subject_id=OuterRef("number")))
    started = []
    for number in (Dispute.objects.filter(clockless, state__in=OPEN_STATES).order_by("filed_at", "pk")
                   .values_list("number", flat=True)):
        if _backfill_one(number, now):
            started.append(number)
    return started


@transaction.atomic
def _backfill_one(number: str, now: dt.datetime) -> bool:
    dispute = Dispute.objects.select_for_update(of=("self",)).select_related("case__centre").get(number=number)
    if Clock.objects.filter(subject_kind=KIND, subject_id=number).exists():
        return False  # started meanwhile
    clocks_start(dispute=dispute, now=now, since=dispute.filed_at)
    answered = dispute.resolutions.order_by("at", "pk").values_list("at", flat=True).first()
    asked = (dispute.notes.filter(to_customer=True).order_by("-at", "-pk").values_list("at", flat=True).first()
             if dispute.state == State.WAITING else None)
    for moment, step in sorted((m, s) for m, s in ((answered, "answered"), (asked, "asked")) if m is not None):
        if step == "answered":
            clock_stop(subject=subject(dispute), target=FIRST_ANSWER, now=now, at=moment)
        else:
            clock_pause(subject=subject(dispute), now=now, at=moment, reason=dispute.state)
    if dispute.state == State.WAITING and asked is None:
        clocks_follow_state(dispute=dispute, now=now)
    return True


def clocks_answered(*, dispute, now: dt.datetime) -> None:
    """The customer was sent an answer: the first-answer clock stops (if it still runs)."""
    clock_stop(subject=subject(dispute), target=FIRST_ANSWER, now=now)


def clocks_follow_state(*, dispute, now: dt.datetime) -> None:
    """The dispute changed state: pause while it waits for the customer, run otherwise."""
    clocks_follow(subject=subject(dispute), state=dispute.state, now=now)


def clocks_resolved(*, dispute, now: dt.datetime) -> None:
    for target in TARGETS:
        clock_stop(subject=subject(dispute), target=target, now=now)


def clocks_assigned(*, dispute, assignee, actor) -> None:
    """Escalations go to the new owner; the one who handed the dispute over becomes the team lead."""
    lead = actor if actor is not None and actor.pk != assignee.pk else UNCHANGED
    clock_assign(subject=subject(dispute), owner=assignee, lead=lead, manager=_manager() or UNCHANGED)

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
- Escalations go to the assigned agent (owner), the agent who assigned it when that was someone
  else (team lead), and the first active administrator (manager), who is named from filing on so
  that an unassigned dispute still reaches someone.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.centres.models import ServiceCentre
from aftersales.sla.services import UNCHANGED, clock_assign, clock_start, clock_stop, clocks_follow

KIND = "dispute"
POLICY = "executive-care"
ACKNOWLEDGE, FIRST_ANSWER, RESOLUTION = "acknowledge", "first-answer", "resolution"
TARGETS = (ACKNOWLEDGE, FIRST_ANSWER, RESOLUTION)


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


def clocks_start(*, dispute, now: dt.datetime) -> None:
    """Start the dispute's clocks at filing; the acknowledgement is written with it."""
    centre = dispute_centre(dispute)
    common = {"subject": subject(dispute), "policy": POLICY, "now": now, "centre": centre, "manager": _manager(),
              "title": (f"Dispute {dispute.display_number}", f"争议 {dispute.display_number}"),
              "link": reverse("console:dispute", args=[dispute.number])}
    for target in TARGETS if centre is not None else (ACKNOWLEDGE, FIRST_ANSWER):
        clock_start(target=target, **common)
    clock_stop(subject=subject(dispute), target=ACKNOWLEDGE, now=now)


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

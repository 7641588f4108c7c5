"""Reads for the people whose own tools come later: the cases an executive-care agent may act on
now (a damage proposal waiting for a decision, a customer's follow-up not yet answered — the two
things ``roles.ACTIONS`` lets them do on a case), oldest first; and the cases an auditor reads,
the most recently closed first."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import BooleanField, Exists, Expression, OuterRef, Q, Value

from aftersales.repairs.models import Case, DamageDetermination, DamageStatus, FollowUp
from aftersales.repairs.status import CLOSED


def _scoped(centres: Collection[int] | None):
    cases = Case.objects.select_related("centre")
    return cases if centres is None else cases.filter(centre_id__in=sorted(centres))


def cases_waiting_for_care(*, centres: Collection[int] | None, limit: int = 25,
                           first: Expression | None = None) -> list[Case]:
    """Open cases with a damage proposal to decide or a follow-up to answer, oldest first; each
    case carries ``damage_waiting`` and ``follow_up_waiting``. ``first``: a condition on the case
    (an ``Exists`` over ``OuterRef("pk")``, given by the caller, as repairs reads no other app)
    whose cases come before the others, each carrying ``first``: accelerated repairs."""
    damage = DamageDetermination.objects.filter(case=OuterRef("pk"), status=DamageStatus.PROPOSED)
    follow_up = FollowUp.objects.filter(case=OuterRef("pk"), resolved_at__isnull=True)
    qs = (_scoped(centres).exclude(status__in=sorted(CLOSED))
          .annotate(damage_waiting=Exists(damage), follow_up_waiting=Exists(follow_up),
                    first=first if first is not None else Value(False, output_field=BooleanField()))
          .filter(Q(damage_waiting=True) | Q(follow_up_waiting=True)))
    return list(qs.order_by("-first", "created_at", "pk")[:limit])


def cases_recently_closed(*, centres: Collection[int] | None, limit: int = 25) -> list[Case]:
    """Closed cases, the most recently closed first."""
    return list(_scoped(centres).filter(status__in=sorted(CLOSED)).order_by("-status_changed_at", "-pk")[:limit])

"""Whose cases a person works: the cases of their own service centre, or of every centre for
those who work across centres (administrators, auditors, executive care) and for staff not
attached to a centre. A case outside someone's scope answers 404, as if it did not exist."""

from __future__ import annotations

from django.http import Http404

from aftersales.accounts.roles import Role, roles_of
from aftersales.repairs.models import Case

ACROSS_CENTRES = frozenset({Role.ADMIN, Role.AUDITOR, Role.EXEC_CARE})


def centre_scope(user) -> int | None:
    """The id of the one centre whose cases ``user`` works, or None for every centre."""
    if roles_of(user) & ACROSS_CENTRES:
        return None
    return getattr(user, "service_centre_id", None)


def scoped_cases(user):
    centre = centre_scope(user)
    cases = Case.objects.select_related("centre", "device")
    return cases if centre is None else cases.filter(centre_id=centre)


def case_in_scope(user, number: str) -> Case:
    case = scoped_cases(user).filter(number=number).first()
    if case is None:
        raise Http404(number)
    return case

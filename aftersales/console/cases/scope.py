"""Whose cases a person works in the console: those of the centres they read
(``accounts.scope.readable_centres``) — every centre for administrators, auditors and executive
care; their own centres for staff, technicians and verifiers; none for someone of those roles
who belongs to no centre. A case outside someone's scope answers 404, as if it did not exist."""

from __future__ import annotations

from django.http import Http404

from aftersales.accounts.scope import readable_centres
from aftersales.repairs.models import Case


def scoped_cases(user):
    centres = readable_centres(user)
    cases = Case.objects.select_related("centre", "device")
    return cases if centres is None else cases.filter(centre_id__in=sorted(centres))


def case_in_scope(user, number: str) -> Case:
    case = scoped_cases(user).filter(number=number).first()
    if case is None:
        raise Http404(number)
    return case

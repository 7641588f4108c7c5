"""For tests: move a case to a status by an ordinary path, through the same services a service
centre uses, so that every guard on the way holds (findings for every fault, the re-test after a
repair, the parcel photos where a centre needs them)."""

from __future__ import annotations

import datetime as dt

from aftersales.repairs.diagnosis import finding_record, result_record
from aftersales.repairs.models import Case, Outcome
from aftersales.repairs.returns import case_collect, case_ship
from aftersales.repairs.services import case_move
from aftersales.repairs.status import Status


def staff_member(username: str = "desk-staff", *, centre=None):
    """A member of the maker's service-centre staff (made once), working at ``centre`` (a
    service centre or its id) — by default at every centre there is when they are asked for."""
    from django.contrib.auth.models import Group

    from aftersales.accounts.models import User
    from aftersales.centres.models import ServiceCentre

    user, created = User.objects.get_or_create(username=username)
    if created:
        user.groups.add(Group.objects.get_or_create(name="staff")[0])
    user.centres.add(*([centre] if centre is not None else ServiceCentre.objects.all()))
    return user


def findings_for_all(case: Case, *, staff, now: dt.datetime, outcome: str = Outcome.NOT_REPRODUCED) -> None:
    """A finding for every fault still without one (by default: the fault could not be reproduced)."""
    for symptom in case.symptoms.filter(finding__isnull=True):
        finding_record(number=case.number, position=symptom.position, text="Checked on the bench.", outcome=outcome,
                       actor=staff, now=now)


def retest_all(case: Case, *, staff, now: dt.datetime) -> None:
    for symptom in case.symptoms.all():
        result_record(number=case.number, stage="qa", name="Re-test of the reported fault", passed=True,
                      symptom_position=symptom.position, actor=staff, now=now)


# The ordinary way to each status: the moves, and what is done before a move.
_PATHS = {
    Status.RECEIVED: (Status.RECEIVED,),
    Status.DIAGNOSING: (Status.RECEIVED, Status.DIAGNOSING),
    Status.REPAIRING: (Status.RECEIVED, Status.DIAGNOSING, "findings", Status.REPAIRING),
    Status.QA: (Status.RECEIVED, Status.DIAGNOSING, "findings", Status.REPAIRING, Status.QA),
    Status.READY: (Status.RECEIVED, Status.DIAGNOSING, "findings", Status.READY),
    Status.SHIPPED: (Status.RECEIVED, Status.DIAGNOSING, "findings", Status.READY, "ship"),
    Status.COLLECTED: (Status.RECEIVED, Status.DIAGNOSING, "findings", Status.READY, "collect"),
    Status.CANCELLED: (Status.CANCELLED,),
}


def drive(case: Case, to: str, *, staff=None, now: dt.datetime) -> Case:
    """Take a booked case to ``to`` the ordinary way; returns the case as it now stands."""
    staff = staff or staff_member()
    for step in _PATHS[to]:
        if step == "findings":
            findings_for_all(case, staff=staff, now=now)
        elif step == "ship":
            case_ship(number=case.number, carrier="SF Express", tracking="SF100200300", actor=staff, now=now)
        elif step == "collect":
            case_collect(number=case.number, actor=staff, now=now)
        elif Case.objects.get(pk=case.pk).status != step:
            case_move(number=case.number, to=step, actor=staff, now=now)
    return Case.objects.get(pk=case.pk)

"""A hand-over at the counter happens only once staff confirm both checks: the collector's
identity, and the device returned with its accessories; otherwise nothing changes."""

import datetime as dt

import pytest

from aftersales.core.errors import AppError, Forbidden
from aftersales.repairs.conftest import NOW
from aftersales.repairs.models import Case
from aftersales.repairs.returns import case_hand_over
from aftersales.repairs.status import Status
from aftersales.repairs.testing import drive

LATER = NOW + dt.timedelta(hours=5)


@pytest.fixture
def ready(booked, staff):
    return drive(booked, Status.READY, staff=staff, now=NOW)


@pytest.mark.parametrize(("identity", "complete", "field"), [
    (False, True, "identity_checked"), (True, False, "returned_complete"), (False, False, "identity_checked")])
def test_a_hand_over_missing_a_check_is_refused_and_the_device_stays_ready(ready, staff, identity, complete, field):
    with pytest.raises(AppError) as err:
        case_hand_over(number=ready.number, identity_checked=identity, returned_complete=complete, actor=staff,
                       now=LATER)
    assert err.value.code == "handover-not-confirmed" and err.value.field == field
    assert Case.objects.get(pk=ready.pk).status == Status.READY


def test_a_confirmed_hand_over_returns_the_device(ready, staff):
    case = case_hand_over(number=ready.number, identity_checked=True, returned_complete=True, actor=staff, now=LATER)
    assert case.status == Status.COLLECTED and Case.objects.get(pk=ready.pk).status_changed_at == LATER


def test_a_technician_may_not_hand_a_device_over_even_with_both_checks(ready, technician):
    with pytest.raises(Forbidden):
        case_hand_over(number=ready.number, identity_checked=True, returned_complete=True, actor=technician,
                       now=LATER)

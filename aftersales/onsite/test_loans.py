"""Loaners: one case at a time, one loaner per case, lent and given back on the timeline."""

import pytest

from aftersales.core.errors import AppError, Forbidden
from aftersales.core.testing import role_user
from aftersales.onsite.conftest import NOW
from aftersales.onsite.loans import loaner_lend, loaner_take_back
from aftersales.onsite.models import Loan, Loaner, LoanerStatus
from aftersales.repairs.models import EventKind


@pytest.fixture
def loaner(centre):
    return Loaner.objects.create(centre=centre, tag="LN-0001", model="ROG G22CH")


def test_a_loaner_lent_is_out_until_given_back(onsite_case, loaner, staff):
    case = onsite_case("HD400001")
    loaner_lend(number=case.number, tag="LN-0001", actor=staff, now=NOW)
    assert Loaner.objects.get(pk=loaner.pk).status == LoanerStatus.ISSUED
    loaner_take_back(number=case.number, actor=staff, now=NOW)
    assert Loaner.objects.get(pk=loaner.pk).status == LoanerStatus.AVAILABLE
    notes = list(case.events.filter(kind=EventKind.NOTE).values_list("summary_zh", flat=True))
    assert notes == ["已借出备用机 ROG G22CH（LN-0001），维修完成后归还。", "备用机 ROG G22CH（LN-0001）已归还。"]


def test_a_loaner_out_on_one_case_is_not_lent_on_another(onsite_case, loaner, staff):
    first, second = onsite_case("HD400002"), onsite_case("HD400003")
    loaner_lend(number=first.number, tag="LN-0001", actor=staff, now=NOW)
    with pytest.raises(AppError) as refused:
        loaner_lend(number=second.number, tag="LN-0001", actor=staff, now=NOW)
    assert refused.value.code == "loaner-not-available"


def test_a_case_gets_one_loaner_at_a_time(onsite_case, loaner, centre, staff):
    Loaner.objects.create(centre=centre, tag="LN-0002", model="ROG G22CH")
    case = onsite_case("HD400004")
    loaner_lend(number=case.number, tag="LN-0001", actor=staff, now=NOW)
    with pytest.raises(AppError) as refused:
        loaner_lend(number=case.number, tag="LN-0002", actor=staff, now=NOW)
    assert refused.value.code == "case-has-a-loaner"
    assert Loaner.objects.get(tag="LN-0002").status == LoanerStatus.AVAILABLE


def test_nothing_to_give_back_when_no_loaner_is_out(onsite_case, staff):
    with pytest.raises(AppError) as refused:
        loaner_take_back(number=onsite_case("HD400005").number, actor=staff, now=NOW)
    assert refused.value.code == "no-loaner-out"


@pytest.mark.parametrize("role", ["technician", "auditor", "customer", "verifier"])
def test_only_staff_lend_loaners(onsite_case, loaner, role):
    with pytest.raises(Forbidden):
        loaner_lend(number=onsite_case("HD400006").number, tag="LN-0001", actor=role_user(role), now=NOW)
    assert not Loan.objects.exists()

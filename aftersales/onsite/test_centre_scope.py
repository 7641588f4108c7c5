"""Visits and loaners follow the centre rule of ``accounts.scope``: staff and technicians of
another centre are answered as if a Shanghai case or visit did not exist; customers, who book
with their case's number, are not limited by centre."""

import pytest

from aftersales.centres.models import ServiceCentre
from aftersales.core.errors import NotFound
from aftersales.core.testing import role_user
from aftersales.onsite.fixtures import NOW, TUESDAY, shanghai
from aftersales.onsite.loans import loaner_lend
from aftersales.onsite.models import VisitStatus
from aftersales.onsite.on_the_day import visit_check_in, visit_fee_agree
from aftersales.onsite.test_visits import book
from aftersales.onsite.visits import visit_cancel, visit_move


@pytest.fixture
def beijing(db):
    return ServiceCentre.objects.create(code="bj-01", name_en="Beijing Haidian", name_zh="北京海淀", region="CN",
                                        city="Beijing", timezone="Asia/Shanghai")


def test_staff_of_another_centre_book_no_visit_for_a_shanghai_case(onsite_case, tech, desktop_pack, beijing):
    case = onsite_case("HD500001")
    with pytest.raises(NotFound):
        book([case.number], tech, shanghai(TUESDAY, 9), desktop_pack, role_user("staff", centres=[beijing]))
    assert not case.visit_lines.exists()


def test_staff_of_another_centre_cannot_move_cancel_price_or_start_a_shanghai_visit(onsite_case, tech, desktop_pack,
                                                                                   staff, beijing):
    # given a visit booked at Shanghai, and staff and a technician of Beijing
    visit = book([onsite_case("HD500002").number], tech, shanghai(TUESDAY, 9), desktop_pack, staff)
    other_staff = role_user("staff", username="bj-desk", centres=[beijing])
    other_tech = role_user("technician", username="bj-tech", centres=[beijing])
    # when they try to move, cancel, price or check in to it, then there is no such visit for them
    attempts = [
        lambda: visit_move(public_id=visit.public_id, technician=None, starts_at=shanghai(TUESDAY, 13),
                           evening=False, pack=desktop_pack, actor=other_staff, now=shanghai(TUESDAY, 8)),
        lambda: visit_cancel(public_id=visit.public_id, reason="No", actor=other_staff, now=shanghai(TUESDAY, 8)),
        lambda: visit_fee_agree(public_id=visit.public_id, amount="80", actor=other_staff, now=shanghai(TUESDAY, 8)),
        lambda: visit_check_in(public_id=visit.public_id, photos=[], actor=other_tech, now=shanghai(TUESDAY, 9)),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
    # and the visit is as it was
    visit.refresh_from_db()
    assert visit.status == VisitStatus.BOOKED and visit.starts_at == shanghai(TUESDAY, 9)


def test_staff_of_another_centre_lend_no_loaner_on_a_shanghai_case(onsite_case, beijing):
    case = onsite_case("HD500003")
    with pytest.raises(NotFound):
        loaner_lend(number=case.number, tag="LN-0001", actor=role_user("staff", centres=[beijing]), now=NOW)

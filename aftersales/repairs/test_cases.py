"""Booking a case and moving it: one service, one table of moves, one event per change."""

import datetime as dt
import threading

import pytest
from django.db import connection

from aftersales.core.errors import AppError, Conflict
from aftersales.repairs.conftest import NOW, intake
from aftersales.repairs.diagnosis import finding_record, result_record
from aftersales.repairs.models import Case, CaseEvent
from aftersales.repairs.numbers import display, new_case_number, normalise_case_number
from aftersales.repairs.returns import case_collect
from aftersales.repairs.services import InvalidTransition, case_book, case_move
from aftersales.repairs.status import TRANSITIONS, Status

LATER = NOW + dt.timedelta(hours=2)


def test_booking_issues_a_number_records_each_fault_and_opens_the_timeline(booked):
    case = Case.objects.get(number=booked.number)
    assert case.status == Status.BOOKED and case.product_line == "home-desktop" and case.model == "D700MA"
    assert [s.text for s in case.symptoms.all()] == ["Will not power on", "Fan is loud"]
    event = case.events.get()
    assert (event.kind, event.to_status, event.customer_visible) == ("booked", "booked", True)
    assert "2" in event.summary_en and "2" in event.summary_zh


@pytest.mark.parametrize("overrides, field, code", [
    ({"serial": "NOSUCH99"}, "serial", "unknown-serial"),
    ({"email": "", "phone": ""}, "email", "missing-contact"),
    ({"email": "not-an-address"}, "email", "invalid-email"),
    ({"symptoms": ["  "]}, "symptoms", "missing-symptom"),
    ({"ack_passwords": False}, "acknowledgements", "missing-acknowledgement"),
    ({"centre": "nowhere"}, "centre", "unknown-centre"),
    ({"purchased_on": dt.date(2023, 1, 1)}, "purchased_on", "date-order"),
])
def test_a_booking_with_bad_input_is_refused_and_writes_nothing(centre, device, overrides, field, code):
    with pytest.raises(AppError) as err:
        case_book(intake=intake(**overrides), actor=None, now=NOW)
    assert (err.value.field, err.value.code) == (field, code)
    assert err.value.en and err.value.zh
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_a_case_moves_along_the_table_and_each_move_is_an_event(booked, staff):
    for step in (Status.RECEIVED, Status.DIAGNOSING):
        case_move(number=booked.number, to=step, actor=staff, now=LATER)
    for position in (1, 2):
        finding_record(number=booked.number, position=position, text="Found it", outcome="confirmed", part="psu",
                       actor=staff, now=LATER)
    for step in (Status.REPAIRING, Status.QA):
        case_move(number=booked.number, to=step, actor=staff, now=LATER)
    for position in (1, 2):
        result_record(number=booked.number, stage="qa", name="Power-on", passed=True, symptom_position=position,
                    actor=staff, now=LATER)
    case_move(number=booked.number, to=Status.READY, actor=staff, now=LATER)
    case_collect(number=booked.number, actor=staff, now=LATER)
    changes = list(CaseEvent.objects.filter(case=booked, kind="status-changed").values_list("from_status", "to_status"))
    assert changes == [("booked", "received"), ("received", "diagnosing"), ("diagnosing", "repairing"),
                       ("repairing", "qa"), ("qa", "ready"), ("ready", "collected")]


def test_a_move_the_table_does_not_allow_is_refused_with_a_named_error(booked, staff):
    with pytest.raises(InvalidTransition) as err:
        case_move(number=booked.number, to=Status.REPAIRING, actor=staff, now=LATER)
    assert err.value.code == "invalid-transition" and err.value.status == 409
    assert "Booked" in err.value.en and "已预约" in err.value.zh
    assert Case.objects.get(pk=booked.pk).status == Status.BOOKED


def test_acting_on_a_case_someone_else_just_moved_is_a_conflict(booked, staff):
    case_move(number=booked.number, to=Status.RECEIVED, actor=staff, now=LATER)
    with pytest.raises(Conflict) as err:
        case_move(number=booked.number, to=Status.CANCELLED, actor=staff, now=LATER, expected=Status.BOOKED)
    assert err.value.code == "case-changed"


def test_closed_cases_go_nowhere():
    assert not [move for move in TRANSITIONS if move[0] in (Status.COLLECTED, Status.CANCELLED)]
    assert all(old in Status.values and new in Status.values for old, new in TRANSITIONS)
    assert {old for old, _ in TRANSITIONS} | {Status.COLLECTED, Status.CANCELLED} == set(Status.values)


def test_case_numbers_are_random_and_survive_how_people_type_them():
    numbers = {new_case_number() for _ in range(2000)}
    assert len(numbers) == 2000
    number = numbers.pop()
    typed = display(number).lower().replace("-", " ")
    assert normalise_case_number(typed) == number
    assert normalise_case_number("r0o0-0000-0000") == "R" + "0" * 11
    assert normalise_case_number("hello") is None


@pytest.mark.parametrize("typed", ["RR46XVE1CJ6V", "rr46-xve1-cj6v", "R46XVE1CJ6V", "r46 xve1 cj6v", "R46-XVE1-CJ6V"])
def test_a_number_whose_first_symbol_is_r_is_found_with_or_without_our_leading_r(typed):
    # one case in 32 has an R as its first random symbol: R R46X-VE1C-J6V
    assert normalise_case_number(typed) == "RR46XVE1CJ6V"


@pytest.mark.parametrize("typed", ["R46XVE1CJ6", "RRR46XVE1CJ6V", "46XVE1CJ6V", "R46XVE1CJ6U"])
def test_a_symbol_too_few_or_too_many_is_not_a_case_number(typed):
    assert normalise_case_number(typed) is None


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_staff_moving_the_same_case_at_once_one_wins_one_gets_a_conflict(centre, device, staff):
    case = case_book(intake=intake(), actor=None, now=NOW)
    case_move(number=case.number, to=Status.RECEIVED, actor=staff, now=NOW)
    barrier = threading.Barrier(2)
    outcomes = []

    def act(target):
        try:
            barrier.wait()
            case_move(number=case.number, to=target, actor=staff, now=LATER, expected=Status.RECEIVED)
            outcomes.append(("moved", target))
        except Conflict as exc:
            outcomes.append(("conflict", exc.code))
        finally:
            connection.close()

    # both make the one move a received case has; whoever locks the row second finds it moved
    threads = [threading.Thread(target=act, args=(t,)) for t in (Status.DIAGNOSING, Status.DIAGNOSING)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    kinds = sorted(o[0] for o in outcomes)
    assert kinds == ["conflict", "moved"], outcomes
    assert [o[1] for o in outcomes if o[0] == "conflict"] == ["case-changed"]
    winner = next(o[1] for o in outcomes if o[0] == "moved")
    assert Case.objects.get(pk=case.pk).status == winner
    moves = CaseEvent.objects.filter(case=case, kind="status-changed", from_status="received")
    assert list(moves.values_list("to_status", flat=True)) == [winner]

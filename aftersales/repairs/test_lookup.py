"""The customer's status look-up in two SQL statements (``repairs.lookup``) answers what the
plain path through the ORM answers (``selectors.case_lookup`` and ``customer_timeline``)."""

from __future__ import annotations

import datetime as dt

import pytest

from aftersales.core.errors import NotFound
from aftersales.repairs import events
from aftersales.repairs.conftest import NOW, intake
from aftersales.repairs.diagnosis import finding_record
from aftersales.repairs.lookup import case_found, case_status
from aftersales.repairs.models import Case, Outcome
from aftersales.repairs.numbers import display
from aftersales.repairs.selectors import case_lookup, customer_timeline
from aftersales.repairs.services import case_book
from aftersales.repairs.status import Status
from aftersales.repairs.testing import drive

LATER = NOW + dt.timedelta(days=2, microseconds=123457)


def plain(number: str, contact: str) -> tuple:
    """The answer through the ORM, field by field, as the case pages read it."""
    case = case_lookup(number=number, contact=contact)
    symptoms = [(s.position, s.text, s.finding.text if hasattr(s, "finding") else None)
                for s in case.symptoms.select_related("finding")]
    timeline = [(e.at, e.kind, e.summary_en, e.summary_zh) for e in customer_timeline(case)]
    return case.number, case.status, case.model, case.serial, symptoms, timeline


def fast(number: str, contact: str) -> tuple:
    found = case_status(number=number, contact=contact)
    return found.number, found.status, found.model, found.serial, found.symptoms, found.timeline


def test_a_just_booked_case_reads_the_same_both_ways(booked):
    assert fast(booked.number, "li.lei@example.com") == plain(booked.number, "li.lei@example.com")
    assert fast(booked.number, "li.lei@example.com")[4] == [(1, "Will not power on", None), (2, "Fan is loud", None)]


def test_a_case_with_one_finding_hidden_notes_and_events_at_one_instant_reads_the_same_both_ways(booked, staff):
    drive(booked, Status.DIAGNOSING, staff=staff, now=NOW)
    finding_record(number=booked.number, position=2, text="Fan bearing worn; replace the fan.",
                   outcome=Outcome.CONFIRMED, part="fan", actor=staff, now=LATER)
    events.note(booked, LATER, staff, "Internal: fan in stock", visible=False)
    events.note(booked, LATER, staff, "We are ordering a new fan.", visible=True)
    answer = fast(display(booked.number).lower(), "138 0000 0000")
    assert answer == plain(display(booked.number).lower(), "138 0000 0000")
    symptoms, timeline = answer[4], answer[5]
    assert symptoms == [(1, "Will not power on", None), (2, "Fan is loud", "Fan bearing worn; replace the fan.")]
    assert "Internal: fan in stock" not in [en for _at, _kind, en, _zh in timeline]
    assert timeline[-1][0] == LATER and timeline[-1][0].tzinfo is not None  # microseconds and zone kept


def test_a_collected_case_reads_the_same_both_ways(booked, staff):
    drive(booked, Status.COLLECTED, staff=staff, now=NOW)
    answer = fast(booked.number, "LI.LEI@example.com")
    assert answer == plain(booked.number, "LI.LEI@example.com")
    assert answer[1] == Status.COLLECTED and all(finding for _p, _t, finding in answer[4])


def test_two_cases_keep_their_own_faults_and_timelines(booked, staff):
    other = case_book(intake=intake(symptoms=["Screen is dark"], email="wang@example.com"), actor=None, now=LATER)
    assert fast(other.number, "wang@example.com") == plain(other.number, "wang@example.com")
    assert [text for _p, text, _f in fast(other.number, "wang@example.com")[4]] == ["Screen is dark"]


@pytest.mark.parametrize("number, contact", [
    ("R" + "Z" * 11, "li.lei@example.com"),  # no such case
    (None, "someone@else.com"),  # the case's number, another e-mail
    (None, "1380000"),  # the case's number, another phone
    (None, ""),  # the case's number, nothing else
    ("not a number", "li.lei@example.com"),
])
def test_a_wrong_detail_gets_the_one_answer_the_plain_path_gives(booked, number, contact):
    number = number or booked.number
    with pytest.raises(NotFound) as expected:
        case_lookup(number=number, contact=contact)
    for look in (case_status, case_found):
        with pytest.raises(NotFound) as got:
            look(number=number, contact=contact)
        assert got.value.as_dict() == expected.value.as_dict()


def test_the_case_found_is_the_one_with_that_number(booked):
    found = case_found(number=display(booked.number), contact="li.lei@example.com")
    assert (found.id, found.number, found.status) == (booked.pk, booked.number, Case.objects.get(pk=booked.pk).status)

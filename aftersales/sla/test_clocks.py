"""Clocks attached to a piece of work: started under the policy in force, paused while the
customer is awaited, re-budgeted, stopped — the consumed time kept throughout."""

from __future__ import annotations

import datetime as dt

import pytest

from aftersales.core.errors import AppError
from aftersales.sla.models import Clock, ClockEvent
from aftersales.sla.selectors import clock_due, subjects_by_due
from aftersales.sla.services import clock_change, clock_start, clock_stop, clocks_follow

UTC = dt.timezone.utc
DISPUTE = ("dispute", "D-7K3Q")
FILED = dt.datetime(2025, 6, 2, 14, 0, tzinfo=UTC)  # 10:00 in Toronto, Monday 2 June 2025


def test_the_first_answer_is_due_a_week_after_filing(toronto):
    clock_start(subject=DISPUTE, policy="executive-care", target="first-answer", centre=toronto, now=FILED)
    due = clock_due(subject=DISPUTE, target="first-answer", now=FILED)
    assert due.deadline == dt.datetime(2025, 6, 9, 14, 0, tzinfo=UTC)
    assert due.due_local.date() == dt.date(2025, 6, 9) and due.due_local.hour == 10
    assert due.policy == "executive-care@2026.11.30" and "one week" in due.clause_en
    started = ClockEvent.objects.get(kind="started")
    assert started.data["policy"] == "executive-care@2026.11.30" and started.data["clause"] == "first-answer"


def test_waiting_for_the_customer_pauses_the_clock_and_keeps_the_time_used(toronto):
    # given a first-answer clock two days into its week
    clock_start(subject=DISPUTE, policy="executive-care", target="first-answer", centre=toronto, now=FILED)
    asked = FILED + dt.timedelta(days=2)
    # when the agent asks the customer for a document, and the customer answers three days later
    clocks_follow(subject=DISPUTE, state="waiting-for-customer", now=asked)
    paused = clock_due(subject=DISPUTE, target="first-answer", now=asked + dt.timedelta(days=1))
    answered = asked + dt.timedelta(days=3)
    clocks_follow(subject=DISPUTE, state="open", now=answered)
    # then the pause consumed nothing: five days are left from the answer
    assert paused.paused and paused.deadline is None and paused.consumed == 2 * 86400
    assert clock_due(subject=DISPUTE, target="first-answer", now=answered).deadline == answered + dt.timedelta(days=5)


def test_resolution_counts_the_centres_opening_hours_and_skips_its_holiday(toronto):
    # given an urgent dispute (16 working hours) filed at 17:00 on Monday 30 June, Canada Day on Tuesday
    start = dt.datetime(2025, 6, 30, 21, 0, tzinfo=UTC)
    clock_start(subject=DISPUTE, policy="executive-care", target="resolution", priority="urgent", centre=toronto,
                now=start)
    # then: 1 h on Monday, none on Tuesday, 8 h on Wednesday, 7 h on Thursday to 17:00
    due = clock_due(subject=DISPUTE, target="resolution", now=start)
    assert due.deadline == dt.datetime(2025, 7, 3, 21, 0, tzinfo=UTC)
    assert due.business_hours


def test_making_the_dispute_urgent_keeps_the_hours_already_used(toronto):
    start = dt.datetime(2025, 6, 2, 13, 0, tzinfo=UTC)  # 09:00 Monday
    clock_start(subject=DISPUTE, policy="executive-care", target="resolution", centre=toronto, now=start)
    # after a full working day (8 h), the device turns out to be unusable: 16 h in all
    clock_change(subject=DISPUTE, priority="urgent", now=dt.datetime(2025, 6, 2, 22, 0, tzinfo=UTC))
    due = clock_due(subject=DISPUTE, target="resolution", now=dt.datetime(2025, 6, 3, 13, 0, tzinfo=UTC))
    assert due.consumed == 8 * 3600 and due.budget == 16 * 3600
    assert due.deadline == dt.datetime(2025, 6, 3, 22, 0, tzinfo=UTC)  # 18:00 Tuesday
    change = ClockEvent.objects.get(kind="changed")
    assert change.data["before"][1:] == ["normal", 80 * 3600] and change.data["after"][1:] == ["urgent", 16 * 3600]


def test_a_stopped_clock_says_whether_it_was_met_in_time(toronto):
    clock_start(subject=DISPUTE, policy="executive-care", target="first-answer", centre=toronto, now=FILED)
    clock_stop(subject=DISPUTE, target="first-answer", now=FILED + dt.timedelta(days=6))
    later = clock_due(subject=DISPUTE, target="first-answer", now=FILED + dt.timedelta(days=30))
    assert later.stopped and later.in_time and later.consumed == 6 * 86400 and not later.overdue


def test_starting_a_clock_twice_starts_it_once(toronto):
    first = clock_start(subject=DISPUTE, policy="executive-care", target="acknowledge", now=FILED)
    again = clock_start(subject=DISPUTE, policy="executive-care", target="acknowledge", now=FILED + dt.timedelta(hours=1))
    assert again.pk == first.pk and again.started_at == FILED


def test_opening_hours_without_a_centre_are_refused(toronto):
    with pytest.raises(AppError) as refused:
        clock_start(subject=DISPUTE, policy="executive-care", target="resolution", now=FILED)
    assert refused.value.code == "sla-needs-centre"


def test_the_queue_by_due_date_puts_the_soonest_first_and_paused_work_last(toronto):
    # given three disputes: one filed on Monday, one on Tuesday, and one on Sunday that waits for its customer
    for number, filed in (("D-MON", FILED), ("D-TUE", FILED + dt.timedelta(days=1)),
                          ("D-SUN", FILED - dt.timedelta(days=1))):
        clock_start(subject=("dispute", number), policy="executive-care", target="first-answer", centre=toronto,
                    now=filed)
    clocks_follow(subject=("dispute", "D-SUN"), state="waiting-for-customer", now=FILED + dt.timedelta(days=1))
    # then the queue reads Monday's, Tuesday's, then the paused one
    assert subjects_by_due(kind="dispute", target="first-answer") == ["D-MON", "D-TUE", "D-SUN"]
    # when the customer answers a day later: two days were used, five are left from then
    clocks_follow(subject=("dispute", "D-SUN"), state="open", now=FILED + dt.timedelta(days=2))
    # then it is due with Monday's (a day later than without the pause), before Tuesday's
    assert Clock.objects.get(subject_id="D-SUN").due_at == FILED + dt.timedelta(days=7)
    assert subjects_by_due(kind="dispute", target="first-answer") == ["D-MON", "D-SUN", "D-TUE"]

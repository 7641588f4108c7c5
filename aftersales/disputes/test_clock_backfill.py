"""Disputes filed before the service-level policies were loaded have no clocks:
``start-dispute-clocks`` starts them, counted from the filing as if they had run since, and a
second run changes nothing."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command

from aftersales.core import clock
from aftersales.core.testing import NOW
from aftersales.disputes.models import Dispute, DisputeNote, State
from aftersales.disputes.numbers import new_dispute_number
from aftersales.disputes.test_clocks import filed, reading
from aftersales.sla.models import Clock, ClockEvent

DAY = dt.timedelta(days=1)
WEEK = 7 * DAY


def filed_before_the_clocks(case, *, at: dt.datetime = NOW, state: str = State.FILED) -> Dispute:
    """A dispute as it was written before the clocks existed: the row alone."""
    return Dispute.objects.create(number=new_dispute_number(), filed_at=at, customer_name="Li Lei",
                                  case_number=case.number, serial=case.serial, country="CN", case=case,
                                  what_happened="The fan was never fixed.", email="li.lei@example.com", state=state,
                                  resolved_at=at + DAY if state == State.RESOLVED else None)


def start_clocks(at: dt.datetime) -> str:
    out = io.StringIO()
    with clock.frozen(at):
        call_command("start-dispute-clocks", stdout=out)
    return out.getvalue()


def test_a_dispute_filed_before_the_clocks_gets_them_counted_from_its_filing(case):
    # given a dispute filed on Sunday 1 June 2025 at noon in Shanghai, before any clock existed
    dispute = filed_before_the_clocks(case)
    # when the clocks are started three days later
    output = start_clocks(NOW + 3 * DAY)
    # then the acknowledgement was met at filing, and the first answer is due a week after the filing
    # with three days of it used, as for a dispute filed with its clocks
    acknowledge, answer = reading(dispute, "acknowledge", NOW + 3 * DAY), reading(dispute, "first-answer", NOW + 3 * DAY)
    assert acknowledge.stopped and acknowledge.in_time and acknowledge.consumed == 0
    assert (answer.state, answer.consumed, answer.deadline) == ("running", 3 * 24 * 3600, NOW + WEEK)
    assert dispute.number in output and "1 disputes given their clocks" in output
    # and the resolution, on the centre's opening hours, is due when it is for one filed then with clocks
    twin = filed(NOW, case=case)
    assert (reading(dispute, "resolution", NOW + 3 * DAY).deadline
            == reading(twin, "resolution", NOW + 3 * DAY).deadline)


def test_a_second_run_changes_nothing(case):
    # given the clocks of a dispute filed before them, started once
    filed_before_the_clocks(case)
    start_clocks(NOW + 3 * DAY)
    clocks = list(Clock.objects.order_by("pk").values())
    events = ClockEvent.objects.count()
    # when the command runs again a day later
    output = start_clocks(NOW + 4 * DAY)
    # then it started nothing and every clock is as it was
    assert "0 disputes given their clocks" in output
    assert list(Clock.objects.order_by("pk").values()) == clocks and ClockEvent.objects.count() == events


def test_a_dispute_waiting_for_the_customer_is_paused_at_its_question(case, agent):
    # given a dispute filed on Sunday noon, in the Dragon Boat holiday, whose customer was asked a
    # question on Tuesday noon and has not answered
    dispute = filed_before_the_clocks(case, state=State.WAITING)
    DisputeNote.objects.create(dispute=dispute, author=agent, text="Which charge?", at=NOW + 2 * DAY,
                               to_customer=True)
    # when the clocks are started on Friday
    start_clocks(NOW + 5 * DAY)
    # then they stand still from the question: two calendar days of the week used, and three opening
    # hours of the resolution (Monday 2 June was a public holiday; Tuesday morning counted)
    answer = reading(dispute, "first-answer", NOW + 5 * DAY)
    assert (answer.state, answer.consumed, answer.deadline) == ("paused", 2 * 24 * 3600, None)
    assert reading(dispute, "resolution", NOW + 5 * DAY).consumed == 3 * 3600


def test_a_resolved_dispute_gets_no_clocks(case):
    filed_before_the_clocks(case, state=State.RESOLVED)
    assert "0 disputes given their clocks" in start_clocks(NOW + DAY)
    assert not Clock.objects.exists()

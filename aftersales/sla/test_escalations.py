"""Escalations raised by the worker at their moment, once, to the right person."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from aftersales.core import clock
from aftersales.notifications.models import Notification
from aftersales.notifications.testing import run_due_tasks
from aftersales.sla.escalations import clock_check
from aftersales.sla.models import Clock, ClockEvent, Escalation
from aftersales.sla.services import clock_assign, clock_pause, clock_start

UTC = dt.timezone.utc
DISPUTE = ("dispute", "D-7K3Q")
FILED = dt.datetime(2025, 6, 2, 14, 0, tzinfo=UTC)
HALF_WEEK = FILED + dt.timedelta(days=3, hours=12)  # 50 % of the first-answer week: tell the owner


def _start(toronto, people, **extra):
    return clock_start(subject=DISPUTE, policy="executive-care", target="first-answer", centre=toronto, now=FILED,
                       title=("Dispute D-7K3Q", "争议 D-7K3Q"), link="/console/disputes/D-7K3Q", **extra,
                       owner=people["owner"], lead=people["lead"], manager=people["manager"])


def _sweep(at: dt.datetime) -> None:
    with clock.frozen(at):
        call_command("sla-sweep", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_the_worker_raises_the_owners_warning_at_its_moment_and_never_twice(toronto, people):
    # given a first-answer clock started when the dispute was filed
    with clock.frozen(FILED):
        row = _start(toronto, people)
    assert row.next_check_at == HALF_WEEK
    # when the sweep looks a second before half the week is used, nothing is raised
    _sweep(HALF_WEEK - dt.timedelta(seconds=1))
    assert not Escalation.objects.exists()
    # when the worker runs the queued check at its moment
    with clock.frozen(HALF_WEEK + dt.timedelta(seconds=20)):
        run_due_tasks()
    # then the owner's warning is raised, dated at the moment itself, and the owner is told by e-mail
    step = Escalation.objects.get()
    assert (step.percent, step.tell, step.person, step.due_at) == (50, "owner", people["owner"], HALF_WEEK)
    assert step.raised_at - step.due_at < dt.timedelta(minutes=1)
    assert [m.to for m in mail.outbox] == [["owner@service.example"]]
    assert mail.outbox[0].subject == "50% of the time used: Dispute D-7K3Q — first answer"
    assert "/console/disputes/D-7K3Q" in mail.outbox[0].body
    # when the worker, the sweep and the check all run again
    with clock.frozen(HALF_WEEK + dt.timedelta(seconds=40)):
        run_due_tasks()
        clock_check(clock_id=row.pk, now=clock.now())
    _sweep(HALF_WEEK + dt.timedelta(seconds=50))
    # then the step stays raised once, and the next check waits for 80 % (the team lead)
    assert Escalation.objects.count() == 1 and len(mail.outbox) == 1
    assert ClockEvent.objects.filter(kind="escalated").count() == 1
    assert Clock.objects.get().next_check_at == FILED + dt.timedelta(days=7) * 8 / 10


@pytest.mark.django_db
def test_a_check_killed_midway_leaves_nothing_and_the_next_one_raises_the_step(toronto, people):
    row = _start(toronto, people)
    with pytest.raises(KeyboardInterrupt):  # the worker is stopped after the writes, before the commit
        with transaction.atomic():
            clock_check(clock_id=row.pk, now=HALF_WEEK)
            raise KeyboardInterrupt
    assert not Escalation.objects.exists() and not Notification.objects.exists()
    assert clock_check(clock_id=row.pk, now=HALF_WEEK + dt.timedelta(seconds=30)) == 1
    assert Escalation.objects.get().due_at == HALF_WEEK


@pytest.mark.django_db
def test_the_breach_tells_the_manager_in_their_language_and_records_when_the_week_ran_out(toronto, people):
    row = _start(toronto, people)
    week_out = FILED + dt.timedelta(days=7)
    # the worker was down for a day: the check that runs then raises all three steps, each dated
    assert clock_check(clock_id=row.pk, now=week_out + dt.timedelta(days=1)) == 4  # three steps and the breach
    steps = list(Escalation.objects.values_list("percent", "person__username", "due_at"))
    assert steps == [(50, "owner-agent", HALF_WEEK), (80, "lead-agent", FILED + dt.timedelta(days=7) * 8 / 10),
                     (100, "manager-agent", week_out)]
    assert Clock.objects.get().breached_at == week_out
    lead = Notification.objects.get(recipient="lead@service.example")
    assert lead.language == "zh-hans" and lead.subject == "时限已用 80%：争议 D-7K3Q——首次答复"
    manager = Notification.objects.get(recipient="manager@service.example")
    assert manager.subject == "Overdue: Dispute D-7K3Q — first answer"
    assert "ran out at 2025-06-09 10:00 (EDT)" in manager.body_text


@pytest.mark.django_db
def test_a_step_whose_person_is_not_named_goes_to_the_next_one_up(toronto, people):
    row = _start(toronto, people)
    clock_assign(subject=DISPUTE, owner=None)
    clock_check(clock_id=row.pk, now=HALF_WEEK)
    assert Escalation.objects.get().person == people["lead"]


@pytest.mark.django_db
def test_a_pause_first_raises_the_step_that_came_due_before_it(toronto, people):
    row = _start(toronto, people)
    # the customer is asked for a document an hour after half the week, before the worker ran
    clock_pause(subject=DISPUTE, reason="waiting-for-customer", now=HALF_WEEK + dt.timedelta(hours=1))
    assert Escalation.objects.get().due_at == HALF_WEEK
    row.refresh_from_db()
    assert row.state == "paused" and row.next_check_at is None


@pytest.mark.django_db
def test_the_sweep_raises_a_step_whose_queued_check_was_lost(toronto, people):
    # given a clock whose queued check never ran (no task runs in this test: as if the queue lost it)
    _start(toronto, people)
    # when the sweep runs half a minute after the moment
    _sweep(HALF_WEEK + dt.timedelta(seconds=30))
    # then the step is raised with its own moment, and a second sweep adds nothing
    _sweep(HALF_WEEK + dt.timedelta(seconds=90))
    assert list(Escalation.objects.values_list("percent", "due_at")) == [(50, HALF_WEEK)]

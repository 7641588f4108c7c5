"""Audit runs in the background: each overcharge kept once, with its evidence, however often the
audit runs over the same data; the run's progress and totals by rule on its row."""

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.audit.models import AuditFinding, AuditRun, RunState
from aftersales.audit.runs import audit_run_execute, audit_run_start
from aftersales.audit.tasks import audit_run
from aftersales.core import clock
from aftersales.core.errors import Conflict, Forbidden
from aftersales.core.testing import role_user

pytestmark = pytest.mark.django_db


def audited(actor) -> AuditRun:
    run = audit_run_start(actor=actor, now=clock.now())
    audit_run_execute(run_id=run.pk, now=clock.now())
    run.refresh_from_db()
    return run


def test_a_run_keeps_each_overcharge_with_its_evidence_and_its_totals_by_rule(history, auditor):
    # given a covered power supply charged 400.00 and a deep cleaning charged the published fee
    # when an auditor runs the audit and the worker runs it through
    run = audited(auditor)
    # then the run ended with every step done, and the one overcharge is kept with its evidence
    assert (run.state, run.steps_done, run.steps_total) == (RunState.DONE, 5, 5)
    assert (run.cases, run.findings, run.new_findings) == (2, 1, 1)
    assert run.by_rule == {"charged-under-warranty": {"count": 1, "overcharge": {"CNY": "400.00"}}}
    assert "cn-desktop" in {p.split("@")[0] for p in run.packs}
    found = AuditFinding.objects.get()
    assert (found.source, found.case_number, found.line_no, found.rule) == ("history", "H1", 1, "charged-under-warranty")
    assert (found.charged, found.due, found.overcharge, found.currency) == (Decimal("400.00"), Decimal("0.00"),
                                                                           Decimal("400.00"), "CNY")
    assert found.evidence["covered_until"] == "2023-02-28" and found.run == run


def test_a_second_run_over_the_same_data_finds_the_same_finding_and_adds_none(history, auditor):
    first = audited(auditor)
    # when the audit runs again over the same history
    second = audited(auditor)
    # then it found the same overcharge, and kept none twice: the finding is still the first run's
    assert (second.findings, second.new_findings) == (1, 0)
    assert AuditFinding.objects.get().run == first


def test_the_task_run_twice_runs_the_audit_once(history, auditor):
    run = audit_run_start(actor=auditor, now=clock.now())
    audit_run.call(run.pk)
    # when a retried task runs it again after it ended
    assert audit_run.call(run.pk) == RunState.DONE
    # then nothing more was kept
    assert AuditFinding.objects.count() == 1


def test_a_run_cannot_start_while_another_is_waiting_or_running(history, auditor):
    audit_run_start(actor=auditor, now=clock.now())
    with pytest.raises(Conflict) as refused:
        audit_run_start(actor=auditor, now=clock.now())
    assert refused.value.code == "audit-running" and AuditRun.objects.count() == 1


@pytest.mark.parametrize("role", ["staff", "exec-care", "admin"])
def test_only_an_auditor_may_start_a_run(history, role):
    with pytest.raises(Forbidden):
        audit_run_start(actor=role_user(role), now=clock.now())
    assert not AuditRun.objects.exists()


def test_a_run_left_unfinished_by_a_worker_that_died_does_not_hold_the_next_one_back(history, auditor):
    # given a run started thirteen hours ago that never finished
    stuck = audit_run_start(actor=auditor, now=clock.now() - dt.timedelta(hours=13))
    AuditRun.objects.filter(pk=stuck.pk).update(state=RunState.RUNNING)
    # when an auditor starts another
    audit_run_start(actor=auditor, now=clock.now())
    # then the stuck one ends as failed, and the new one waits for the worker
    assert list(AuditRun.objects.order_by("id").values_list("state", flat=True)) == [RunState.FAILED, RunState.QUEUED]

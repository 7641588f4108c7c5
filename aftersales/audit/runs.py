"""Audit runs in the background: an auditor starts one in the console, the worker (``db_worker``)
runs it, and the console follows how far it has come.

``audit_run_start`` writes an ``AuditRun`` and queues the task once the row is committed; the
task calls ``audit_run_execute``, which runs the columnar job over the history and the paid live
cases with the policy packs loaded (``job.overcharges_audit``), writing its progress on the row
step by step, and keeps the findings a batch at a time. A finding is known by its source, case
number, line and rule: one already kept — found by an earlier run, perhaps approved and paid —
is left exactly as it is, so a re-run or a retried task adds only what is new and pays no one
twice. A run that meets a fault of ours ends its row in words, so the page stops waiting; the
fault goes on to the worker's log.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from aftersales.accounts.roles import require
from aftersales.audit.models import AuditFinding, AuditRun, RunState
from aftersales.core.errors import Conflict
from aftersales.core.slots import TaskSlot

RUN = TaskSlot("overcharge audit run")  # filled by audit.tasks.audit_run
# No run takes this long: one still unfinished then died with its worker, and ends as failed
# when the next is started rather than holding every later run back.
STALE = dt.timedelta(hours=12)


@transaction.atomic
def audit_run_start(*, actor, now: dt.datetime) -> AuditRun:
    """Queue a run; the worker starts it once this transaction commits. One run at a time."""
    require(actor, "audit.run")
    unfinished = AuditRun.objects.select_for_update().filter(state__in=(RunState.QUEUED, RunState.RUNNING))
    unfinished.filter(started_at__lte=now - STALE).update(state=RunState.FAILED, finished_at=now)
    if unfinished.filter(started_at__gt=now - STALE).exists():
        raise Conflict("audit-running", "An audit is already running; wait for it to finish.",
                       "已有一次审计正在进行，请等待其完成。")
    run = AuditRun.objects.create(started_by=actor, started_at=now)
    transaction.on_commit(functools.partial(RUN.enqueue, run.pk))
    return run


def audit_run_execute(*, run_id: int, now: dt.datetime) -> str:
    """Run one queued audit; returns its final state. Running it again after it ended does nothing."""
    from aftersales.audit.job import overcharges_audit
    from aftersales.warranty.packs import packs_in_force

    run = AuditRun.objects.filter(pk=run_id).first()
    if run is None or run.finished:
        return run.state if run else "missing"
    _save(run, state=RunState.RUNNING)
    try:
        packs = packs_in_force()
        _save(run, packs=sorted({f"{p.id}@{p.version}" for p in packs.packs}))
        kept = _Keeper(run)
        result = overcharges_audit(packs=packs, keep=kept, progress=functools.partial(_progress, run))
    except Exception:
        _save(run, state=RunState.FAILED, finished_at=now)
        raise
    _save(run, state=RunState.DONE, finished_at=now, cases=result.cases, findings=result.findings,
          new_findings=AuditFinding.objects.filter(run=run).count(), by_rule=kept.by_rule(), unpriced=result.unpriced)
    return run.state


class _Keeper:
    """Keeps the job's findings a batch at a time, each batch committed on its own (the new ones
    name this run; one kept before is left as it is), and sums every finding's overcharge by rule
    and currency."""

    def __init__(self, run: AuditRun):
        self.run = run
        self.totals: dict[str, dict] = defaultdict(lambda: {"count": 0, "overcharge": defaultdict(Decimal)})

    def __call__(self, batches) -> None:
        for batch in batches:
            rows = [AuditFinding(source=source, case_number=number, line_no=line_no, rule=rule, charged=charged,
                                 due=due, overcharge=over, currency=currency, evidence=json.loads(evidence),
                                 run=self.run)
                    for source, number, line_no, rule, charged, due, over, currency, evidence in batch]
            for f in rows:
                self.totals[f.rule]["count"] += 1
                self.totals[f.rule]["overcharge"][f.currency] += f.overcharge
            AuditFinding.objects.bulk_create(rows, ignore_conflicts=True)

    def by_rule(self) -> dict:
        return {rule: {"count": t["count"], "overcharge": {c: str(a) for c, a in sorted(t["overcharge"].items())}}
                for rule, t in sorted(self.totals.items())}


def _progress(run: AuditRun, done: int, total: int) -> None:
    _save(run, steps_done=done, steps_total=total)


def _save(run: AuditRun, **fields) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    AuditRun.objects.filter(pk=run.pk).update(**fields)

"""Background tasks of the audit (django-tasks; run by ``db_worker``)."""

from django_tasks import task

from aftersales.audit.runs import RUN, audit_run_execute
from aftersales.core import clock


@RUN.register
@task()
def audit_run(run_id: int) -> str:
    """Run one audit started in the console (``runs``); safe to run twice."""
    return audit_run_execute(run_id=run_id, now=clock.now())

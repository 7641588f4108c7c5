"""Background tasks of service-level clocks (django-tasks; run by ``db_worker``)."""

from django_tasks import task

from aftersales.core import clock
from aftersales.sla.escalations import CLOCK_CHECK, clock_check as clock_check_run


@CLOCK_CHECK.register
@task()
def clock_check(clock_id: int) -> int:
    """Raise the escalation steps and the breach due on one clock by now, and queue the next check.
    Safe to run early, late or twice."""
    return clock_check_run(clock_id=clock_id, now=clock.now())

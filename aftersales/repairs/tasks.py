"""Background tasks of repair cases (django-tasks; run by ``db_worker``)."""

from django_tasks import task

from aftersales.core import clock
from aftersales.repairs.reactions import STORAGE_CHECK
from aftersales.repairs.timers import storage_check_run


@STORAGE_CHECK.register
@task()
def storage_check(case_number: str) -> str:
    """The storage timer for one case (see ``repairs.timers``): takes the step that is due, if
    any. Safe to run early, late or twice."""
    return storage_check_run(number=case_number, now=clock.now())

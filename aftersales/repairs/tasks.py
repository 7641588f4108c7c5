"""Background tasks of repair cases (django-tasks; run by ``db_worker``)."""

from django_tasks import task

from aftersales.core import clock
from aftersales.repairs.storage import storage_check_run


@task()
def storage_check(case_number: str) -> str:
    """The storage timer for one case (see ``storage``): takes the step that is due, if any.
    Safe to run early, late or twice."""
    return storage_check_run(number=case_number, now=clock.now())

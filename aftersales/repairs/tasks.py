"""Background tasks of repair cases (django-tasks; run by ``db_worker``)."""

from django_tasks import task

from aftersales.core import clock


@task()
def storage_check(case_number: str) -> str:
    """The storage timer for one case (see ``repairs.timers``): takes the step that is due, if
    any. Safe to run early, late or twice."""
    # Imported when the timer runs: the timer's step moves the case through the door, whose
    # reactions queue this task, so the two modules cannot import each other up front.
    from aftersales.repairs.timers import storage_check_run

    return storage_check_run(number=case_number, now=clock.now())

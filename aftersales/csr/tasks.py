"""Background tasks of self-repair orders (django-tasks; run by ``db_worker``)."""

from django_tasks import task

from aftersales.core import clock
from aftersales.csr.timers import DEADLINE_CHECK, REFUND, deadline_check_run, refund_run


@DEADLINE_CHECK.register
@task()
def csr_deadline_check(number: str) -> str:
    """A reminder or the purchase, when due (see ``csr.timers``). Safe to run early, late or twice."""
    return deadline_check_run(number=number, now=clock.now())


@REFUND.register
@task()
def csr_refund(number: str) -> str:
    """Refund the deposit when the part is back (see ``csr.timers``). Safe to run twice."""
    return refund_run(number=number, now=clock.now())

"""``aftersales sla-sweep``: check every running service-level clock whose next check is due.

Each clock's check is a task queued for the moment its next escalation step or breach comes due;
this is the safety net when one was lost (a worker killed mid-run, a queue cleared). Run it every
minute: together with the tasks, every step is raised within a minute of its moment, and once.
"""

from django.core.management.base import BaseCommand

from aftersales.core import clock
from aftersales.sla.escalations import clock_check
from aftersales.sla.selectors import clocks_to_check


class Command(BaseCommand):
    help = "Raise the escalations and breaches due on service-level clocks whose check is due."

    def handle(self, *args, **opts):
        now = clock.now()
        raised = sum(clock_check(clock_id=pk, now=now) for pk in clocks_to_check(now=now))
        self.stdout.write(f"{raised} raised")

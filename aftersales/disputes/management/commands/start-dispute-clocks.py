"""``aftersales start-dispute-clocks``: start the service-level clocks of the open disputes that
have none — those filed before the executive-care policy was loaded — counted from the moment
each was filed (``disputes.clocks.clocks_backfill``). Run it after ``load-sla-policies``; a second
run finds nothing to start and changes nothing."""

from django.core.management.base import BaseCommand

from aftersales.core import clock
from aftersales.disputes.clocks import clocks_backfill


class Command(BaseCommand):
    help = "Start the clocks of open disputes that have none, counted from their filing."

    def handle(self, *args, **opts):
        started = clocks_backfill(now=clock.now())
        for number in started:
            self.stdout.write(f"{number}: clocks started")
        self.stdout.write(f"{len(started)} disputes given their clocks / {len(started)} 个争议已开始计时")

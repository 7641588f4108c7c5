"""``aftersales storage-sweep``: run the storage check for every case that is due now.

The storage timers are queued tasks; this is the safety net when one was lost (a worker down,
a queue cleared). It reads the clock once, looks at every case that is ready or in storage, and
takes the step due for each (second notice, fees notice, disposal review) exactly as the timer
would. Running it twice does nothing the second time; run it once a day (cron or similar).
"""

import sys

from django.core.management.base import BaseCommand

from aftersales.core import clock
from aftersales.repairs.rules.storage import Step
from aftersales.repairs.storage import storage_candidates, storage_step_due
from aftersales.repairs.timers import storage_check_run


class Command(BaseCommand):
    help = "Take the storage step (reminder, fees notice, disposal review) due for each waiting case."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts):
        from tqdm import tqdm

        now = clock.now()
        cases = storage_candidates()
        taken: dict[str, int] = {}
        with tqdm(cases.iterator(chunk_size=500), total=cases.count(), unit="case", file=sys.stderr,
                  disable=True if opts["no_progress"] else None, desc="storage-sweep") as bar:
            for case in bar:
                step, _terms = storage_step_due(case, now=now)
                if step == Step.WAIT:
                    continue
                done = storage_check_run(number=case.number, now=now)
                if done != Step.WAIT:
                    taken[done] = taken.get(done, 0) + 1
        total = sum(taken.values())
        detail = ", ".join(f"{step} {n}" for step, n in sorted(taken.items()))
        self.stdout.write(f"{total} due" + (f" ({detail})" if detail else ""))

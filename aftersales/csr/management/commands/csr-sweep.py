"""``aftersales csr-sweep``: take every self-repair step that is due now — a reminder, a purchase
after the deadline, a refund of a part that is back.

The steps are queued tasks; this is the safety net when one was lost (a worker down, a queue
cleared). It reads the clock once and runs, for each open order, exactly what the task would;
running it twice does nothing the second time. Run it once a day (cron or similar).
"""

from django.core.management.base import BaseCommand

from aftersales.core import clock
from aftersales.csr.models import Order
from aftersales.csr.status import REFUND_DUE, WITH_CUSTOMER
from aftersales.csr.timers import deadline_check_run, refund_run


class Command(BaseCommand):
    help = "Take the self-repair steps due now: reminders, purchases after the deadline, refunds."

    def handle(self, *args, **opts):
        now = clock.now()
        taken: dict[str, int] = {}
        open_orders = Order.objects.filter(status__in=[*WITH_CUSTOMER, *REFUND_DUE]).values_list("number", "status")
        for number, status in list(open_orders):
            run = refund_run if status in REFUND_DUE else deadline_check_run
            done = run(number=number, now=now)
            if done != "wait":
                taken[done] = taken.get(done, 0) + 1
        detail = ", ".join(f"{step} {n}" for step, n in sorted(taken.items()))
        self.stdout.write(f"{sum(taken.values())} due" + (f" ({detail})" if detail else ""))

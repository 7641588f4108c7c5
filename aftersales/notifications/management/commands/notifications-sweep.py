"""``aftersales notifications-sweep``: send again every message whose sending worker died.

A worker claims a message before it sends it; a claim not followed by a result within the lease
(``notifications.services.LEASE``) means the worker died mid-send, and nothing else would try
the message again until its send task ran once more. This reads the clock once, takes every
such message again and sends it, and prints how many it sent. Running it twice does nothing the
second time; run it every few minutes (cron or similar).
"""

from django.core.management.base import BaseCommand

from aftersales.core import clock
from aftersales.notifications.services import notification_retake, notifications_lapsed


class Command(BaseCommand):
    help = "Send again every message whose sending worker died (its claim lapsed)."

    def handle(self, *args, **opts):
        now = clock.now()
        outcomes: dict[str, int] = {}
        for notification_id in notifications_lapsed(now=now):
            outcome = notification_retake(notification_id=notification_id, now=now)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        detail = ", ".join(f"{outcome} {n}" for outcome, n in sorted(outcomes.items()))
        self.stdout.write(f"{sum(outcomes.values())} lapsed" + (f" ({detail})" if detail else ""))

"""Five workers checking one late clock at the same moment raise each step once (PostgreSQL, real
connections in parallel): the clock's row lock lets one raise and the others find it raised."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from aftersales.notifications.models import Notification
from aftersales.sla.escalations import clock_check
from aftersales.sla.models import ClockEvent, Escalation
from aftersales.sla.services import clock_start

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

FILED = dt.datetime(2025, 6, 2, 14, 0, tzinfo=dt.timezone.utc)


def test_parallel_checks_of_a_late_clock_raise_each_step_and_the_breach_once(toronto, people):
    row = clock_start(subject=("dispute", "D-7K3Q"), policy="executive-care", target="resolution", centre=toronto,
                      now=FILED, owner=people["owner"], lead=people["lead"], manager=people["manager"])
    late = FILED + dt.timedelta(days=30)
    barrier, raised = threading.Barrier(5), []

    def check():
        try:
            barrier.wait()
            raised.append(clock_check(clock_id=row.pk, now=late))
        finally:
            connection.close()

    threads = [threading.Thread(target=check) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(raised) == [0, 0, 0, 0, 4]
    assert list(Escalation.objects.values_list("percent", flat=True)) == [50, 80, 100]
    assert ClockEvent.objects.filter(kind="breached").count() == 1
    assert Notification.objects.count() == 3

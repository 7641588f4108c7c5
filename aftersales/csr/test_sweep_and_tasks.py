"""The programme's timers: an application queues a deadline check for each reminder day and the
day after the deadline, a confirmed return queues the refund, and the daily sweep takes every
step that is due when a queued task was lost — once."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from aftersales.core import clock
from aftersales.core.testing import NOW
from aftersales.csr.applications import order_apply
from aftersales.csr.conftest import APPLICATION, fault
from aftersales.csr.models import Order
from aftersales.csr.services import order_return_confirmed, order_return_scanned, order_ship
from aftersales.ledger.models import Purpose
from aftersales.ledger.selectors import balance
from aftersales.ledger.services import account_for

pytestmark = pytest.mark.django_db(transaction=True)


def queued(name: str) -> list[tuple]:
    return sorted((r.args_kwargs["args"][0], r.run_after) for r in DBTaskResult.objects.all()
                  if r.task_path.endswith(name))


def sweep(at: dt.datetime) -> str:
    out = io.StringIO()
    with clock.frozen(at):
        call_command("csr-sweep", stdout=out)
    return out.getvalue().strip()


def test_an_application_queues_the_deadline_checks_at_nine_in_the_morning_in_new_york(programme):
    order = order_apply(**APPLICATION, now=NOW)
    assert queued("csr_deadline_check") == [
        (order.number, dt.datetime(2025, 6, day, 13, 0, tzinfo=dt.UTC)) for day in (8, 13, 16)]


def test_a_confirmed_return_queues_the_refund(programme):
    order = order_apply(**APPLICATION, now=NOW)
    order_ship(number=order.number, tracking="1Z9", actor="staff1", now=NOW)
    order_return_scanned(number=order.number, now=NOW)
    order_return_confirmed(number=order.number, actor="staff1", now=NOW)
    assert [number for number, _ in queued("csr_refund")] == [order.number]


def test_the_sweep_buys_a_part_kept_past_the_deadline_and_refunds_a_returned_one_once(programme):
    kept = order_apply(**APPLICATION, now=NOW)
    fault(programme, "memory")
    returned = order_apply(**APPLICATION | {"request_key": "form-0000000002", "part": "memory"}, now=NOW)
    for order in (kept, returned):
        order_ship(number=order.number, tracking="1Z1", actor="staff1", now=NOW)
    order_return_scanned(number=returned.number, now=NOW)
    order_return_confirmed(number=returned.number, actor="staff1", now=NOW)
    DBTaskResult.objects.all().delete()  # the queue is lost
    assert sweep(NOW + dt.timedelta(days=3)) == "1 due (refunded 1)"
    assert sweep(dt.datetime(2025, 6, 16, 14, 0, tzinfo=dt.UTC)) == "1 due (purchased 1)"
    assert sweep(dt.datetime(2025, 6, 17, 14, 0, tzinfo=dt.UTC)) == "0 due"
    assert balance(account_for(Purpose.REVENUE_PARTS, "USD")).credit_posted_net == Decimal("89.00")
    assert balance(account_for(Purpose.DEPOSITS_HELD, "USD")).credit_posted_net == Decimal("0.00")
    assert [Order.objects.get(pk=o.pk).status for o in (kept, returned)] == ["purchased", "refunded"]

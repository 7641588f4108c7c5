"""Ten posts of one application form at the same moment (PostgreSQL, real connections in
parallel) open one order and charge one deposit."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from aftersales.core.testing import NOW
from aftersales.csr.applications import order_apply
from aftersales.csr.conftest import APPLICATION
from aftersales.csr.models import Order
from aftersales.ledger.models import Purpose, Transfer
from aftersales.ledger.selectors import balance
from aftersales.ledger.services import account_for
from aftersales.payments.models import LocalEntry, Payment

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_ten_parallel_posts_of_one_form_open_one_order_and_charge_once(programme):
    barrier, numbers, failures = threading.Barrier(10), [], []

    def post():
        try:
            barrier.wait()
            numbers.append(order_apply(**APPLICATION, now=NOW).number)
        except Exception as exc:  # noqa: BLE001 (any failure is the test's finding)
            failures.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == [] and len(numbers) == 10 and len(set(numbers)) == 1
    assert (Order.objects.count(), Payment.objects.count(), LocalEntry.objects.count()) == (1, 1, 2)
    assert Transfer.objects.count() == 2  # the deposit captured, and its hold
    assert balance(account_for(Purpose.DEPOSITS_HELD, "USD")).credit_posted_net == Decimal("89.00")

"""The self-repair books against a model, as TigerBeetle's auditor checks its simulator: random
sequences of applications, shipments, returns, cancellations, refunds, deadline checks and the
days passing — each background step sometimes run twice, as a retry or a restarted worker
would — and after every step the books balance per currency, no hold is resolved twice, no
refund is lost or doubled, and every balance equals the model's.

The suite runs a small budget; ``CSR_MODEL_EXAMPLES=10000`` runs a benchmark's worth.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from aftersales.core.errors import AppError
from aftersales.core.testing import NOW, device_made
from aftersales.csr.applications import order_apply
from aftersales.csr.conftest import APPLICATION, fault
from aftersales.csr.models import Order
from aftersales.csr.services import order_cancel, order_return_confirmed, order_return_scanned, order_ship
from aftersales.csr.timers import deadline_check_run, refund_run
from aftersales.ledger.models import Account, Kind, Purpose, Transfer
from aftersales.ledger.services import account_for
from aftersales.payments.models import Payment

pytestmark = pytest.mark.django_db
PRICE = {"ssd": Decimal("89.00"), "memory": Decimal("45.00"), "power-adapter": Decimal("39.00")}
HELD, REFUNDED, BOUGHT = "held", "refunded", "bought"


class Books(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.now, self.serials, self.money = NOW, 0, {}  # order number -> held, refunded or bought

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _numbers(self) -> list[str]:
        return sorted(self.money)

    @rule(part=st.sampled_from(sorted(PRICE)), twice=st.booleans())
    def apply(self, part, twice):
        self.serials += 1
        serial = f"NM{self.serials:07d}"
        device_made(serial, "notebook", dt.date(2025, 1, 10), "US", model="UX3405MA")
        fault(serial, part, at=self.now - dt.timedelta(hours=1))
        fields = APPLICATION | {"serial": serial, "part": part, "request_key": f"form-{serial}"}
        orders = {order_apply(**fields, now=self.now).number for _ in range(2 if twice else 1)}
        assert len(orders) == 1
        self.money[orders.pop()] = HELD

    @rule(i=st.integers(0, 50))
    def ship(self, i):
        self._try(order_ship, i, tracking="1Z9", actor="staff1")

    @rule(i=st.integers(0, 50))
    def return_taken(self, i):
        self._try(order_return_scanned, i)

    @rule(i=st.integers(0, 50))
    def return_confirmed(self, i):
        self._try(order_return_confirmed, i, actor="staff1")

    @rule(i=st.integers(0, 50))
    def cancel(self, i):
        self._try(order_cancel, i)

    @rule(i=st.integers(0, 50), runs=st.integers(1, 2))
    def refund(self, i, runs):
        for _ in range(runs):
            if self._pick(i) and refund_run(number=self._pick(i), now=self.now) == "refunded":
                assert self.money[self._pick(i)] == HELD
                self.money[self._pick(i)] = REFUNDED

    @rule(i=st.integers(0, 50), runs=st.integers(1, 2))
    def deadline(self, i, runs):
        for _ in range(runs):
            if self._pick(i) and deadline_check_run(number=self._pick(i), now=self.now) == "purchased":
                assert self.money[self._pick(i)] == HELD
                self.money[self._pick(i)] = BOUGHT

    @rule(days=st.integers(1, 9))
    def days_pass(self, days):
        self.now += dt.timedelta(days=days)

    def _pick(self, i: int) -> str | None:
        numbers = self._numbers()
        return numbers[i % len(numbers)] if numbers else None

    def _try(self, step, i, **kwargs):
        if (number := self._pick(i)) is None:
            return
        try:
            step(number=number, now=self.now, **kwargs)
        except AppError as exc:  # a step the order's status does not allow: refused, nothing moved
            assert exc.code in ("order-step-not-allowed", "cannot-cancel")

    def _expected(self, state: str) -> Decimal:
        deposits = dict(Order.objects.values_list("number", "deposit"))
        return sum((deposits[n] for n, s in self.money.items() if s == state), Decimal("0.00"))

    @invariant()
    def books_balance_per_currency(self):
        for currency in ("USD",):
            rows = Account.objects.filter(currency=currency)
            for side in ("pending", "posted"):
                debits = rows.aggregate(t=Sum(f"debits_{side}"))["t"] or 0
                credits = rows.aggregate(t=Sum(f"credits_{side}"))["t"] or 0
                assert debits == credits

    @invariant()
    def balances_equal_the_model(self):
        held = account_for(Purpose.DEPOSITS_HELD, "USD")
        revenue = account_for(Purpose.REVENUE_PARTS, "USD")
        cash = account_for(Purpose.PROVIDER_CASH, "USD")
        held.refresh_from_db(), revenue.refresh_from_db(), cash.refresh_from_db()
        assert held.credits_posted - held.debits_posted == self._expected(HELD)
        assert revenue.credits_posted == self._expected(BOUGHT)
        assert revenue.credits_pending == self._expected(HELD)
        assert cash.debits_posted - cash.credits_posted == self._expected(HELD) + self._expected(BOUGHT)

    @invariant()
    def no_hold_is_resolved_twice_and_no_refund_is_lost_or_doubled(self):
        twice = Transfer.objects.filter(kind__in=[Kind.POST, Kind.VOID, Kind.EXPIRE]).values("pending") \
            .annotate(n=Count("id")).filter(n__gt=1)
        assert not twice.exists()
        for number, state in self.money.items():
            payment = Payment.objects.get(reference=number)
            assert payment.refunded == (payment.amount if state == REFUNDED else 0)


def test_random_sequences_keep_the_books_as_the_model_says(programme):
    examples = int(os.environ.get("CSR_MODEL_EXAMPLES", "15"))
    run_state_machine_as_test(Books, settings=settings(
        max_examples=examples, stateful_step_count=25, deadline=None, database=None, derandomize=examples <= 15,
        suppress_health_check=list(HealthCheck)))

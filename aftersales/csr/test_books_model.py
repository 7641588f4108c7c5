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

    def _expected(self, deposits: dict[str, Decimal]) -> dict[str, Decimal]:
        """What the model says each state holds in total, from the orders' deposits."""
        totals = dict.fromkeys((HELD, REFUNDED, BOUGHT), Decimal("0.00"))
        for number, state in self.money.items():
            totals[state] += deposits[number]
        return totals

    # Each invariant reads what it checks in one or two statements: they run after every step.
    @invariant()
    def books_balance_per_currency(self):
        sums = Account.objects.filter(currency="USD").aggregate(
            dp=Sum("debits_pending"), cp=Sum("credits_pending"), dpo=Sum("debits_posted"), cpo=Sum("credits_posted"))
        assert (sums["dp"] or 0, sums["dpo"] or 0) == (sums["cp"] or 0, sums["cpo"] or 0)

    @invariant()
    def balances_equal_the_model(self):
        accounts = {a.purpose: a for a in Account.objects.filter(
            currency="USD", purpose__in=[Purpose.DEPOSITS_HELD, Purpose.REVENUE_PARTS, Purpose.PROVIDER_CASH])}
        if not self.money:
            assert all(a.debits_posted == a.credits_posted == 0 for a in accounts.values())
            return
        held, revenue, cash = (accounts[p] for p in (Purpose.DEPOSITS_HELD, Purpose.REVENUE_PARTS, Purpose.PROVIDER_CASH))
        expected = self._expected(dict(Order.objects.values_list("number", "deposit")))
        assert held.credits_posted - held.debits_posted == expected[HELD]
        assert revenue.credits_posted == expected[BOUGHT]
        assert revenue.credits_pending == expected[HELD]
        assert cash.debits_posted - cash.credits_posted == expected[HELD] + expected[BOUGHT]

    @invariant()
    def no_hold_is_resolved_twice_and_no_refund_is_lost_or_doubled(self):
        twice = Transfer.objects.filter(kind__in=[Kind.POST, Kind.VOID, Kind.EXPIRE]).values("pending") \
            .annotate(n=Count("id")).filter(n__gt=1)
        assert not twice.exists()
        payments = {reference: (amount, refunded) for reference, amount, refunded in
                    Payment.objects.filter(reference__in=self.money).values_list("reference", "amount", "refunded")}
        assert payments.keys() == self.money.keys()
        for number, state in self.money.items():
            amount, refunded = payments[number]
            assert refunded == (amount if state == REFUNDED else 0), number


def test_random_sequences_keep_the_books_as_the_model_says(programme):
    examples = int(os.environ.get("CSR_MODEL_EXAMPLES", "15"))
    run_state_machine_as_test(Books, settings=settings(
        max_examples=examples, stateful_step_count=25, deadline=None, database=None,
        derandomize="CSR_MODEL_EXAMPLES" not in os.environ,  # the suite's run is the same every time
        suppress_health_check=list(HealthCheck)))

"""Random sequences of ledger operations — transfers, holds placed, posted in part, voided and
expired, retries under the same key, keys reused for another request — checked after every step
against a model of what the balances must be, as TigerBeetle's auditor checks its simulator: the
books balance per currency, no hold is resolved twice, and every account's kept figures equal
both the model's and the sum of its history. The suite runs a small budget; ``bench/ledger_model.py``
runs thousands of sequences."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from aftersales.core.errors import AppError
from aftersales.ledger.models import RESOLUTIONS, Account, Kind, Purpose, Transfer
from aftersales.ledger.services import hold_place, hold_post, hold_void, holds_expire, transfer_post

START = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
PURPOSES = [Purpose.PROVIDER_CASH, Purpose.DEPOSITS_HELD, Purpose.REVENUE_PARTS, Purpose.REFUNDS_PAYABLE]
CURRENCY = st.sampled_from(["USD", "CAD"])
AMOUNT = st.integers(min_value=1, max_value=50_000).map(lambda cents: Decimal(cents) / 100)
ZERO = Decimal("0.00")


class LedgerModel(RuleBasedStateMachine):
    """The model: four figures per (purpose, currency), moved by hand for each operation."""

    holds = Bundle("holds")

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()  # each sequence in its own savepoint, rolled back after
        self.atomic.__enter__()
        self.now = START
        self.figures: dict[tuple, list[Decimal]] = {}  # [debits pending, debits posted, credits pending, posted]
        self.open_holds: dict[int, tuple] = {}  # hold id -> (debit key, credit key, amount, timeout)
        self.resolved: set[int] = set()
        self.requests: dict[str, tuple] = {}  # key -> the request it was first used for
        self.serial = 0

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def _key(self) -> str:
        self.serial += 1
        return f"op-{self.serial}"

    def _add(self, purpose, currency, index: int, amount: Decimal) -> None:
        self.figures.setdefault((purpose, currency), [ZERO] * 4)[index] += amount

    @rule(debit=st.sampled_from(PURPOSES), credit=st.sampled_from(PURPOSES), currency=CURRENCY, amount=AMOUNT,
          retry=st.booleans())
    def transfer(self, debit, credit, currency, amount, retry):
        if debit == credit:
            return
        key, request = self._key(), (debit, credit, currency, amount)
        first = transfer_post(key=key, debit=debit, credit=credit, amount=amount, currency=currency,
                              effective_on=self.now.date(), now=self.now)
        self._add(debit, currency, 1, amount)
        self._add(credit, currency, 3, amount)
        self.requests[key] = request
        if retry:  # the same request again: the same transfer, nothing moves
            again = transfer_post(key=key, debit=debit, credit=credit, amount=amount, currency=currency,
                                  effective_on=self.now.date(), now=self.now)
            assert again.id == first.id

    @rule(amount=AMOUNT)
    def reuse_a_key_for_another_request(self, amount):
        if not self.requests:
            return
        key, (debit, credit, currency, first_amount) = next(iter(self.requests.items()))
        if amount == first_amount:
            return
        with pytest.raises(AppError) as refused:
            transfer_post(key=key, debit=debit, credit=credit, amount=amount, currency=currency,
                          effective_on=START.date(), now=START)
        assert refused.value.code == "idempotency-key-reused"

    @rule(target=holds, debit=st.sampled_from(PURPOSES), credit=st.sampled_from(PURPOSES), currency=CURRENCY,
          amount=AMOUNT, minutes=st.one_of(st.none(), st.integers(min_value=1, max_value=600)))
    def place_hold(self, debit, credit, currency, amount, minutes):
        if debit == credit:
            debit, credit = Purpose.PROVIDER_CASH, Purpose.DEPOSITS_HELD
        timeout = self.now + dt.timedelta(minutes=minutes) if minutes else None
        held = hold_place(key=self._key(), debit=debit, credit=credit, amount=amount, currency=currency,
                          timeout_at=timeout, effective_on=self.now.date(), now=self.now)
        self._add(debit, currency, 0, amount)
        self._add(credit, currency, 2, amount)
        self.open_holds[held.id] = ((debit, currency), (credit, currency), amount, timeout)
        return held.id

    def _release(self, hold: int, posted: Decimal) -> None:
        debit, credit, amount, _timeout = self.open_holds.pop(hold)
        self.figures[debit][0] -= amount
        self.figures[credit][2] -= amount
        self.figures[debit][1] += posted
        self.figures[credit][3] += posted
        self.resolved.add(hold)

    def _expired(self, hold: int) -> bool:
        timeout = self.open_holds[hold][3]
        return timeout is not None and timeout <= self.now

    @rule(hold=holds, share=st.integers(min_value=0, max_value=100))
    def post(self, hold, share):
        if hold not in self.open_holds:
            with pytest.raises(AppError) as refused:
                hold_post(key=self._key(), hold=hold, effective_on=self.now.date(), now=self.now)
            assert refused.value.code in ("hold-already-resolved", "hold-expired")
            return
        amount = (self.open_holds[hold][2] * share / 100).quantize(Decimal("0.01"))
        if self._expired(hold):
            with pytest.raises(AppError) as refused:
                hold_post(key=self._key(), hold=hold, amount=amount, effective_on=self.now.date(), now=self.now)
            assert refused.value.code == "hold-expired"
            return
        key = self._key()
        first = hold_post(key=key, hold=hold, amount=amount, effective_on=self.now.date(), now=self.now)
        assert hold_post(key=key, hold=hold, amount=amount, effective_on=self.now.date(), now=self.now).id == first.id
        self._release(hold, amount)

    @rule(hold=holds)
    def void(self, hold):
        if hold not in self.open_holds or self._expired(hold):
            with pytest.raises(AppError) as refused:
                hold_void(key=self._key(), hold=hold, effective_on=self.now.date(), now=self.now)
            assert refused.value.code in ("hold-already-resolved", "hold-expired")
            return
        hold_void(key=self._key(), hold=hold, effective_on=self.now.date(), now=self.now)
        self._release(hold, ZERO)

    @rule(minutes=st.integers(min_value=1, max_value=240), sweeps=st.integers(min_value=1, max_value=2))
    def time_passes_and_the_sweep_runs(self, minutes, sweeps):
        self.now += dt.timedelta(minutes=minutes)
        due = [h for h in self.open_holds if self._expired(h)]
        counted = sum(holds_expire(now=self.now) for _ in range(sweeps))  # a second sweep finds nothing
        assert counted == len(due)
        for hold in due:
            self._release(hold, ZERO)

    # Each invariant reads what it checks in one or two statements: they run after every step.
    @invariant()
    def the_books_balance_per_currency_and_equal_the_model(self):
        totals: dict[str, list[Decimal]] = {}
        for account in Account.objects.all():
            kept = [account.debits_pending, account.debits_posted, account.credits_pending, account.credits_posted]
            assert kept == self.figures.get((account.purpose, account.currency), [ZERO] * 4), account
            sums = totals.setdefault(account.currency, [ZERO] * 4)
            for i, value in enumerate(kept):
                sums[i] += value
        for currency, (dp, dpo, cp, cpo) in totals.items():
            assert (dp, dpo) == (cp, cpo), currency

    @invariant()
    def no_hold_is_resolved_twice_and_the_history_sums_to_the_kept_figures(self):
        resolutions = list(Transfer.objects.filter(kind__in=RESOLUTIONS).values_list("pending", flat=True))
        assert len(resolutions) == len(set(resolutions)) == len(self.resolved)
        posted = Transfer.objects.filter(kind__in=[Kind.POSTED, Kind.POST])
        history: dict[tuple, list[Decimal]] = {}  # (purpose, currency) -> [debits posted, credits posted]
        for side, index in (("debit", 0), ("credit", 1)):
            for purpose, currency, total in posted.values_list(f"{side}__purpose", f"{side}__currency") \
                    .annotate(total=Sum("amount")).order_by():
                history.setdefault((purpose, currency), [ZERO, ZERO])[index] = total
        for account, (_dp, dpo, _cp, cpo) in self.figures.items():
            assert history.get(account, [ZERO, ZERO]) == [dpo, cpo], account


@pytest.mark.django_db
def test_random_sequences_of_ledger_operations_keep_the_books_as_the_model_says():
    budget = int(os.environ.get("LEDGER_MODEL_SEQUENCES", "25"))
    run_state_machine_as_test(LedgerModel, settings=settings(
        max_examples=budget, stateful_step_count=30, deadline=None,
        derandomize="LEDGER_MODEL_SEQUENCES" not in os.environ,  # the suite's run is the same every time
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))

"""Reading the books: an account's balances now (its four kept figures, no history summed) and
as of any past moment (summed from the transfers recorded up to it, on the indexes by account
and time)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from aftersales.ledger.models import Account, Kind, Transfer

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Balance:
    currency: str
    debits_pending: Decimal
    debits_posted: Decimal
    credits_pending: Decimal
    credits_posted: Decimal

    @property
    def credit_posted_net(self) -> Decimal:
        """Credits less debits posted: what a liability or revenue account holds."""
        return self.credits_posted - self.debits_posted

    @property
    def debit_posted_net(self) -> Decimal:
        """Debits less credits posted: what an asset or expense account holds."""
        return self.debits_posted - self.credits_posted


def balance(account: Account) -> Balance:
    account.refresh_from_db(fields=["debits_pending", "debits_posted", "credits_pending", "credits_posted"])
    return Balance(account.currency, account.debits_pending, account.debits_posted, account.credits_pending,
                   account.credits_posted)


def balance_as_of(account: Account, at: dt.datetime) -> Balance:
    """The balances as they stood at ``at``: every transfer recorded at or before it counted."""
    def total(side: str, kinds) -> Decimal:
        rows = Transfer.objects.filter(Q(**{side: account}), recorded_at__lte=at, kind__in=kinds)
        return rows.aggregate(total=Sum("amount"))["total"] or ZERO

    def released(side: str) -> Decimal:  # holds resolved by then: their whole amount left pending
        rows = Transfer.objects.filter(Q(**{side: account}), recorded_at__lte=at,
                                       kind__in=[Kind.POST, Kind.VOID, Kind.EXPIRE])
        return rows.aggregate(total=Sum("pending__amount"))["total"] or ZERO

    posted = [Kind.POSTED, Kind.POST]
    return Balance(account.currency,
                   total("debit", [Kind.PENDING]) - released("debit"), total("debit", posted),
                   total("credit", [Kind.PENDING]) - released("credit"), total("credit", posted))


def recorded(key: str) -> bool:
    """Whether a transfer with this idempotency key is on the books."""
    return Transfer.objects.filter(key=key).exists()


@dataclass(frozen=True)
class Flow:
    """Money between two purposes in one currency, under one reference: ``posted`` has moved;
    ``pending`` is reserved by holds not yet resolved."""

    debit: str
    credit: str
    currency: str
    posted: Decimal = ZERO
    pending: Decimal = ZERO


def flows(reference: str) -> list[Flow]:
    """Everything the books hold under ``reference`` (e.g. a case number), summed per pair of
    purposes and currency, in Decimal, on the index by reference."""
    rows = list(Transfer.objects.filter(reference=reference)
                .values_list("id", "kind", "debit__purpose", "credit__purpose", "currency", "amount", "pending_id"))
    resolved = {pending for *_rest, pending in rows if pending is not None}
    sums: dict[tuple[str, str, str], list[Decimal]] = {}
    for transfer, kind, debit, credit, currency, amount, _pending in rows:
        figures = sums.setdefault((debit, credit, currency), [ZERO, ZERO])
        if kind in (Kind.POSTED, Kind.POST):
            figures[0] += amount
        elif kind == Kind.PENDING and transfer not in resolved:
            figures[1] += amount
    return [Flow(debit, credit, currency, posted, pending)
            for (debit, credit, currency), (posted, pending) in sorted(sums.items())]

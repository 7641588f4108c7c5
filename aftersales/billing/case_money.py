"""A case's money as the ledger holds it, read by the case number (every transfer of a case
names it as its ``reference``), one line per currency:

- ``charged``: what fell due — every amount owed by the customer (``receivable`` debited);
- ``paid``: what the customer paid (payment provider or counter → ``receivable``);
- ``owed``: charged less everything that settled it, payments and any other credit;
- ``deposits_held``: deposits the books hold for the customer, collected or reserved by a hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from aftersales.ledger.models import Purpose
from aftersales.ledger.selectors import ZERO, flows


@dataclass(frozen=True)
class CaseMoney:
    currency: str
    charged: Decimal = ZERO
    paid: Decimal = ZERO
    owed: Decimal = ZERO
    deposits_held: Decimal = ZERO


def case_money(number: str) -> list[CaseMoney]:
    """The case's figures per currency (none for a case the books know nothing of)."""
    figures: dict[str, dict[str, Decimal]] = {}
    for flow in flows(number):
        f = figures.setdefault(flow.currency, {"charged": ZERO, "paid": ZERO, "owed": ZERO, "deposits_held": ZERO})
        if flow.debit == Purpose.RECEIVABLE:
            f["charged"] += flow.posted
            f["owed"] += flow.posted
        if flow.credit == Purpose.RECEIVABLE:
            f["owed"] -= flow.posted
            f["paid"] += flow.posted if flow.debit == Purpose.PROVIDER_CASH else ZERO
        if flow.credit == Purpose.DEPOSITS_HELD:
            f["deposits_held"] += flow.posted + flow.pending
        if flow.debit == Purpose.DEPOSITS_HELD:
            f["deposits_held"] -= flow.posted
    return [CaseMoney(currency, **f) for currency, f in sorted(figures.items())]


def owed(number: str, currency: str) -> Decimal:
    return next((m.owed for m in case_money(number) if m.currency == currency), ZERO)

"""Charges falling due: the one way a charge on a case is written — the ``Charge`` row the
customer reads, and the ledger's transfers from what customers owe (``receivable``) to the
revenue it earns — in the caller's transaction, so the event, the charge and the books commit or
roll back together.

Each leg carries an idempotency key derived from the event that made it due (the quotation line,
the quotation, the visit, the case leaving the centre), and every transfer names the case number
as its ``reference``: a retry or a re-run of the event moves no money twice and writes no second
``Charge`` row. What is owed and paid is read back from the ledger (``billing.case_money``).

Where each charge goes:

- accepted quotation lines: their labour to ``revenue-labour``, their parts to ``revenue-parts``,
  one transfer each per line;
- the inspection fee, when every paid line is declined: ``revenue-labour`` (the diagnosis is
  the work done; the books keep no purpose of its own for it);
- storage fees: ``revenue-storage``; on-site trip fees: ``revenue-trips``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from aftersales.billing.models import Charge, ChargeKind, Quotation, QuotationLine
from aftersales.ledger.models import Purpose
from aftersales.ledger.selectors import recorded
from aftersales.ledger.services import transfer_post


@dataclass(frozen=True)
class Leg:
    """One transfer of a charge: ``amount`` owed by the customer, earned as ``revenue``."""

    key: str
    revenue: Purpose
    amount: Decimal
    memo: str = ""


def charge_due(*, case, kind: ChargeKind, legs: list[Leg], currency: str, text_en: str, text_zh: str,
               now: dt.datetime, quotation: Quotation | None = None) -> Charge | None:
    """Post the charge's legs to the ledger and write its ``Charge`` row; call it inside the
    transaction of the event that makes it due. Legs of nothing are left out, and a charge of
    nothing writes nothing. A re-run of the event returns None and moves nothing."""
    legs = [leg for leg in legs if leg.amount > 0]
    if not legs:
        return None
    first_time = not recorded(legs[0].key)
    for leg in legs:
        transfer_post(key=leg.key, debit=Purpose.RECEIVABLE, credit=leg.revenue, amount=leg.amount,
                      currency=currency, effective_on=case.day(now), now=now, reference=case.number, memo=leg.memo)
    if not first_time:
        return None
    return Charge.objects.create(case=case, kind=kind, amount=sum((leg.amount for leg in legs), Decimal(0)),
                                 currency=currency, quotation=quotation, created_at=now, text_en=text_en,
                                 text_zh=text_zh)


def line_legs(lines: list[QuotationLine]) -> list[Leg]:
    """The legs of accepted quotation lines: each line's labour and parts, keyed by the line."""
    legs = []
    for line in lines:
        legs.append(Leg(f"quotation-line:{line.pk}:labour", Purpose.REVENUE_LABOUR, line.labour,
                        f"Quotation line {line.position}: labour"))
        legs.append(Leg(f"quotation-line:{line.pk}:parts", Purpose.REVENUE_PARTS, line.parts,
                        f"Quotation line {line.position}: parts"))
    return legs


def inspection_leg(quotation: Quotation, amount: Decimal) -> Leg:
    return Leg(f"inspection:quotation:{quotation.pk}", Purpose.REVENUE_LABOUR, amount, "Inspection fee")


def storage_leg(number: str, amount: Decimal) -> Leg:
    """A case leaves the centre once (shipped or collected), so its number keys its storage fee."""
    return Leg(f"storage:{number}", Purpose.REVENUE_STORAGE, amount, "Storage fee")


def trip_leg(visit_id, amount: Decimal) -> Leg:
    return Leg(f"trip:visit:{visit_id}", Purpose.REVENUE_TRIPS, amount, "On-site trip fee")

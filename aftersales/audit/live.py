"""Paid repair cases of this system, in the columns of the imported history, so that the one
audit job re-prices them beside the cases of past years.

A case is audited once the ledger holds a payment for it (payment provider or counter →
what customers owe, under the case number). Its row, as the history would hold it:

- the region is its service centre's; the day it was opened is the day it was booked, in the
  centre's time zone; the manufacture date is the serial registry's (a case whose device is not
  in the registry cannot be re-priced and is left out);
- the faulty part is the first part a warranty decision was made on, else the first part a
  diagnosis found at fault, else the first part replaced; the exclusions are the customer-induced-damage findings staff confirmed;
- the lines are what was charged, in the order it fell due: each accepted quotation line (its
  labour and its parts), and an inspection fee as a disassembly-and-diagnosis line; the quotation
  counts as declined when an inspection fee was charged and no line was accepted;
- the payments are the ledger's, less the storage and trip fees charged, which the audit does
  not re-price: one amount per currency, so that paying those fees is not taken for paying more
  than the repair cost.

Live cases take negative ids in the snapshot, so that they never meet a history case's id and
the job's findings say where each came from.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from django.db.models import Prefetch

from aftersales.billing.models import Charge, ChargeKind, LineDecision, QuotationLine
from aftersales.ledger.models import Kind, Purpose, Transfer
from aftersales.repairs.models import Case, DamageDetermination, DamageStatus, ReportedSymptom

CHUNK = 2000
UNAUDITED = (ChargeKind.STORAGE, ChargeKind.TRIP)  # fees the fee schedule's re-pricing does not cover
DIAGNOSIS = "disassembly-diagnosis"


def _payments():
    return Transfer.objects.filter(kind=Kind.POSTED, debit__purpose=Purpose.PROVIDER_CASH,
                                   credit__purpose=Purpose.RECEIVABLE)


def paid_cases():
    """The cases with a payment on the ledger, with what the row needs fetched alongside."""
    return (Case.objects.filter(number__in=_payments().values("reference"), device__isnull=False)
            .select_related("centre", "device").order_by("id")
            .prefetch_related(
                Prefetch("charges", queryset=Charge.objects.filter(kind=ChargeKind.INSPECTION), to_attr="inspections"),
                Prefetch("damage", queryset=DamageDetermination.objects.filter(status=DamageStatus.CONFIRMED),
                         to_attr="confirmed_damage"),
                Prefetch("symptoms", queryset=ReportedSymptom.objects.select_related("finding").order_by("position")),
                "part_decisions"))


def charged_lines(case: Case) -> list[tuple]:
    """(service, part, labour, parts, currency) per charged line, in the order it fell due (the
    inspection fees from ``paid_cases``'s prefetch when the case came from there)."""
    inspections = getattr(case, "inspections", None)
    if inspections is None:
        inspections = case.charges.filter(kind=ChargeKind.INSPECTION)
    accepted = (QuotationLine.objects.filter(quotation__case=case, decision=LineDecision.ACCEPTED)
                .values_list("quotation_id", "position", "service", "part", "labour", "parts", "quotation__currency"))
    keyed = [((q, pos), (service, part, labour, parts, cur)) for q, pos, service, part, labour, parts, cur in accepted]
    keyed += [((c.quotation_id or 0, 0), (DIAGNOSIS, "", c.amount, 0, c.currency)) for c in inspections]
    return [line for _key, line in sorted(keyed, key=lambda pair: pair[0])]


def paid_for_repair(case: Case) -> dict[str, Decimal]:
    """What the customer paid per currency, less the storage and trip fees charged."""
    paid: dict[str, Decimal] = {}
    for amount, currency in _payments().filter(reference=case.number).values_list("amount", "currency"):
        paid[currency] = paid.get(currency, Decimal("0.00")) + amount
    for amount, currency in case.charges.filter(kind__in=UNAUDITED).values_list("amount", "currency"):
        paid[currency] = paid.get(currency, Decimal("0.00")) - amount
    return paid


def case_row(case: Case, lines: list[tuple], currency: str) -> tuple:
    """The case in the snapshot's ``cases`` columns."""
    decisions = sorted(case.part_decisions.all(), key=lambda d: d.id)
    found = [s.finding.part for s in case.symptoms.all() if hasattr(s, "finding") and s.finding.part]
    replaced = [part for service, part, *_rest in lines if service == "part-replacement" and part]
    part = next(iter([d.part for d in decisions] + found + replaced), "")
    exclusions = ";".join(sorted({d.code for d in case.confirmed_damage}))
    declined = bool(case.inspections) and all(service == DIAGNOSIS for service, *_rest in lines)
    return (-case.id, case.number, case.centre.region, case.product_line, case.model, case.device.manufactured_on,
            case.purchased_on, case.day(case.created_at), part, exclusions, 1 if declined else 0, currency)


def live_cases() -> Iterator[tuple[tuple, list[tuple], list[Decimal]]]:
    """Each paid case: its row in the snapshot's ``cases`` columns, its charged lines as
    (line number, service, part, labour, parts), and what was paid for the repair per currency."""
    for case in paid_cases().iterator(chunk_size=CHUNK):
        paid = paid_for_repair(case)
        lines = charged_lines(case)
        currency = lines[0][4] if lines else next(iter(paid))
        numbered = [(n, service, part, labour, parts)
                    for n, (service, part, labour, parts, _cur) in enumerate(lines, 1)]
        yield case_row(case, lines, currency), numbered, list(paid.values())

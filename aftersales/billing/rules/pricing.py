"""Pricing work from a policy pack's fee schedule (SPEC §3; seed 002 fee schedules, §5 (4), §7 (12), §9).

The one set of pure functions that prices work: the ``fee-preview`` batch, quotation drafting and
the overcharge audit all call them. They take the pack, the region, the product line and the
list prices of the day being priced, chosen by the caller; they read no database and no clock,
so an audit prices a case of 2015 with the pack and price list of 2015.

- ``schedule_for(pack, region)``: the fee schedule published for the region, or ``no-fee-schedule``
  (the Greater-China pack publishes mainland fees only; Hong Kong is never priced in them);
  ``published_schedule`` answers None instead, for callers that then price by hand.
- ``is_free(kinds, service, covered)``: work is free only when it is covered *and* of a kind the
  warranty makes free (``[fees] free_in_warranty``): replacing a covered part, diagnosis, driver
  install, restoring a covered pre-installed system. An upgrade with the customer's parts,
  installing the customer's own system and deep cleaning are paid even in warranty.
- ``covered_for(service, part, covered_parts)``: whether a line is on covered ground, from the
  warranty decisions of a case: the replaced part's, the pre-installed system's for a system
  restore, otherwise the line's own part or, naming none, any covered fault of the job.
- ``list_price``: labour from the schedule (none for parts that come off without opening the
  unit), parts at the list price; ``None`` where nothing is published.
- ``price_work``: a whole job. Out of warranty with the quotation rejected, or with nothing to
  repair, only the inspection is charged, capped at the schedule's maximum; covered work is
  still done free.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from aftersales.core.errors import AppError
from aftersales.core.money import Money
from aftersales.policy.fees import FeeSchedule
from aftersales.policy.pack import Pack
from aftersales.policy.vocabulary import REGIONS, SERVICES, en, zh

INSPECTION = "disassembly-diagnosis"
PART_REPLACEMENT = "part-replacement"
OS_RECOVERY = "os-recovery"
UNIT_REPLACEMENT = "unit-replacement"
ALL_WORK = frozenset(SERVICES) | {UNIT_REPLACEMENT}
# Where a pack publishes no paid service, in-warranty repairs are free (North America, seed 000):
# every kind of work that repairs the device, but not what a customer asks for beyond a repair.
REPAIR_WORK = frozenset({PART_REPLACEMENT, UNIT_REPLACEMENT, INSPECTION, "driver-install", OS_RECOVERY})


class PricingError(AppError):
    status = 400


@dataclass(frozen=True, slots=True)
class WorkItem:
    service: str
    part: str | None = None
    part_price: Decimal | None = None  # the part's list price, in the schedule's currency
    in_warranty: bool | None = None  # None: as the job


@dataclass(frozen=True, slots=True)
class ListPrice:
    labour: Money | None  # None: no published fee (hand-priced)
    parts: Money | None  # None: a part replacement without a list price


@dataclass(frozen=True, slots=True)
class PricedLine:
    service: str
    part: str | None
    labour: Money
    parts: Money
    free: bool = False


@dataclass(frozen=True, slots=True)
class Priced:
    currency: str
    lines: tuple[PricedLine, ...]
    total: Money


def published_schedule(pack: Pack, region: str) -> FeeSchedule | None:
    """The fee schedule the pack publishes for ``region``, or None; never another region's."""
    return pack.fees if pack.fees is not None and region in pack.fees.regions else None


def schedule_for(pack: Pack, region: str) -> FeeSchedule:
    """The fee schedule the pack publishes for ``region``, or the ``no-fee-schedule`` refusal."""
    if published_schedule(pack, region) is None:
        name_en, name_zh = (en(REGIONS, region), zh(REGIONS, region)) if region in REGIONS else (region, region)
        raise PricingError("no-fee-schedule",
                           f"No fee schedule is published for {name_en}: this work is priced by a person, never "
                           f"with another region's fees.",
                           f"{name_zh}没有公布的收费标准：此项工作由工作人员报价，不会套用其他地区的收费标准。",
                           field="region", status=422)
    return pack.fees


def free_kinds(pack: Pack) -> frozenset[str]:
    """The work the pack's warranty makes free when covered. A pack that publishes no paid service
    at all (no ``[fees]``, as in North America, where in-warranty repairs are free) frees every
    repair, but not an upgrade with the customer's parts, their own system or a cleaning."""
    return pack.fees.free_in_warranty if pack.fees is not None else REPAIR_WORK


def is_free(kinds: frozenset[str], service: str, covered: bool) -> bool:
    return covered and service in kinds


def covered_for(service: str, part: str | None, covered_parts: frozenset[str]) -> bool:
    """Whether a line of a case's work stands on covered ground (``covered_parts``: the parts the
    warranty decisions of the case cover)."""
    if service == PART_REPLACEMENT:
        return bool(part) and part in covered_parts
    if service == OS_RECOVERY:
        return "preinstalled-os" in covered_parts
    if part:
        return part in covered_parts
    return bool(covered_parts)


def _labour(schedule: FeeSchedule, product_line: str) -> dict[str, Decimal]:
    fees = schedule.labour.get(product_line)
    if fees is None:
        raise PricingError("no-fee-schedule", f"The fee schedule has no fees for {product_line}.",
                           f"收费标准中没有 {product_line} 的费用。", field="product_line", status=422)
    return fees


def list_price(schedule: FeeSchedule | None, *, currency: str, product_line: str, service: str,
               part: str | None, part_price: Money | None) -> ListPrice:
    """What the published lists say a line costs when paid. ``part_price`` comes from the price
    list of the day; a price in another currency is refused, never converted or mixed."""
    for listed in (part_price, schedule):
        if listed is not None and listed.currency != currency:
            raise PricingError("currency-mismatch",
                               f"The list is in {listed.currency}, but this work is priced in {currency}.",
                               f"价目以 {listed.currency} 标示，而此项工作以 {currency} 计价。", status=422)
    labour = None
    if schedule is not None and service in SERVICES:
        external = service == PART_REPLACEMENT and part in schedule.external_parts
        labour = Money(0 if external else _labour(schedule, product_line)[service], currency)
    parts = part_price if service == PART_REPLACEMENT else Money.zero(currency)
    return ListPrice(labour, parts)


def inspection_fee(schedule: FeeSchedule, product_line: str) -> Money:
    """Disassembly and diagnosis, charged when an out-of-warranty customer declines the repair or
    nothing needs repair, never above the schedule's maximum (§5 (4), §9)."""
    return Money(min(_labour(schedule, product_line)[INSPECTION], schedule.inspection_fee_max), schedule.currency)


def _priced(schedule: FeeSchedule, product_line: str, item: WorkItem, covered: bool, n: int) -> PricedLine:
    currency = schedule.currency
    if is_free(schedule.free_in_warranty, item.service, covered):
        return PricedLine(item.service, item.part, Money.zero(currency), Money.zero(currency), free=True)
    price = None if item.part_price is None else Money(item.part_price, currency)
    listed = list_price(schedule, currency=currency, product_line=product_line, service=item.service,
                        part=item.part, part_price=price)
    if listed.parts is None:
        raise PricingError("missing-part-price", f"work[{n}]: a paid part replacement needs the part's list price.",
                           f"work[{n}]：收费的备件更换需要提供备件价格。", field=f"work[{n}].part_price")
    return PricedLine(item.service, item.part, listed.labour, listed.parts)


def price_work(schedule: FeeSchedule, *, product_line: str, in_warranty: bool, quotation_rejected: bool,
               work: list[WorkItem]) -> Priced:
    """Price a job. ``in_warranty`` is the job's; a work item's own ``in_warranty`` wins for it.
    With the quotation rejected only the free lines remain, and the inspection fee is due unless
    some of the work (or, with no work, the job) is covered."""
    _labour(schedule, product_line)
    covered = [in_warranty if w.in_warranty is None else w.in_warranty for w in work]
    chosen = [(n, w, c) for n, (w, c) in enumerate(zip(work, covered))
              if not quotation_rejected or is_free(schedule.free_in_warranty, w.service, c)]
    lines = [_priced(schedule, product_line, w, c, n) for n, w, c in chosen]
    job_covered = any(covered) if work else in_warranty
    if (quotation_rejected or not work) and not job_covered:
        lines.append(PricedLine(INSPECTION, None, inspection_fee(schedule, product_line),
                                Money.zero(schedule.currency)))
    total = Money.zero(schedule.currency)
    for line in lines:
        total = total + line.labour + line.parts
    return Priced(schedule.currency, tuple(lines), total)

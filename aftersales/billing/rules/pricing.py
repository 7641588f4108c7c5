"""Pricing paid service from a fee schedule (SPEC §3; seed 002 fee schedules, §5 (4), §9).

``price_work`` turns a list of work items into priced lines and a total:
- in warranty, every line is free (labour and parts);
- out of warranty, each service costs its labour fee for the product line; a part replacement
  adds the part at its list price, and needs no labour fee when the part comes off without
  opening the unit (keyboard, mouse, speakers …);
- out of warranty with the quotation rejected, or with nothing to repair, only the inspection
  (disassembly and diagnosis) is charged, and never more than the schedule's inspection maximum.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from aftersales.policy.fees import FeeSchedule
from aftersales.core.errors import AppError
from aftersales.core.money import Money
from aftersales.policy.vocabulary import PARTS, SERVICES

INSPECTION = "disassembly-diagnosis"


class PricingError(AppError):
    status = 400


@dataclass(frozen=True, slots=True)
class WorkItem:
    service: str
    part: str | None = None
    part_price: Decimal | None = None


@dataclass(frozen=True, slots=True)
class PricedLine:
    service: str
    part: str | None
    labour: Money
    parts: Money


@dataclass(frozen=True, slots=True)
class Priced:
    currency: str
    lines: tuple[PricedLine, ...]
    total: Money


def work_item(raw, index: int) -> WorkItem:
    """Validate one ``work`` entry of a request: ``{"service", "part"?, "part_price"?}``."""
    where = f"work[{index}]"
    if not isinstance(raw, dict):
        raise PricingError("invalid-request", f"{where} must be an object.", f"{where} 必须是对象。", field=where)
    service = raw.get("service")
    if service not in SERVICES:
        raise PricingError("unknown-service", f"{where}: unknown service {service!r}; use one of {', '.join(SERVICES)}.",
                           f"{where}：未知服务 {service!r}；可用：{', '.join(SERVICES)}。", field=f"{where}.service")
    part = raw.get("part")
    if part is not None and part not in PARTS:
        raise PricingError("unknown-part", f"{where}: unknown part {part!r}.", f"{where}：未知部件 {part!r}。",
                           field=f"{where}.part")
    price = raw.get("part_price")
    if price is not None:
        if isinstance(price, (bool, float)) or not isinstance(price, (str, int)):
            raise PricingError("invalid-amount", f'{where}: part_price must be a decimal string such as "350.00".',
                               f'{where}：part_price 必须是十进制金额字符串，例如 "350.00"。', field=f"{where}.part_price")
        try:
            price = Decimal(str(price))
        except InvalidOperation:
            price = None
        if price is None or not price.is_finite():
            raise PricingError("invalid-amount", f"{where}: part_price is not an amount.",
                               f"{where}：part_price 不是有效金额。", field=f"{where}.part_price")
        if price < 0:
            raise PricingError("negative-price", f"{where}: part_price cannot be negative.",
                               f"{where}：part_price 不能为负数。", field=f"{where}.part_price")
        if service != "part-replacement":
            raise PricingError("unexpected-part-price",
                               f"{where}: only a part replacement carries a part price ({service} uses no parts "
                               f"of ours).", f"{where}：只有备件更换才有备件价格（{service} 不使用我方备件）。",
                               field=f"{where}.part_price")
    if service == "part-replacement" and part is None:
        raise PricingError("missing-part", f"{where}: a part replacement must name the part.",
                           f"{where}：备件更换必须注明部件。", field=f"{where}.part")
    return WorkItem(service, part, price)


def price_work(schedule: FeeSchedule, *, product_line: str, currency: str, in_warranty: bool,
               quotation_rejected: bool, work: list[WorkItem]) -> Priced:
    labour = schedule.labour.get(product_line)
    if labour is None:
        raise PricingError("no-fee-schedule", f"The fee schedule has no fees for {product_line}.",
                           f"收费标准中没有 {product_line} 的费用。", field="product_line", status=422)
    zero = Money.zero(currency)
    if in_warranty:
        lines = tuple(PricedLine(w.service, w.part, zero, zero) for w in work)
        return Priced(currency, lines, zero)
    if quotation_rejected or not work:
        fee = min(labour[INSPECTION], schedule.inspection_fee_max)
        line = PricedLine(INSPECTION, None, Money(fee, currency), zero)
        return Priced(currency, (line,), line.labour)
    lines = []
    for i, w in enumerate(work):
        if w.service == "part-replacement":
            if w.part_price is None:
                raise PricingError("missing-part-price",
                                   f"work[{i}]: an out-of-warranty part replacement needs the part's list price.",
                                   f"work[{i}]：保外备件更换需要提供备件价格。", field=f"work[{i}].part_price")
            fee = Decimal(0) if w.part in schedule.external_parts else labour[w.service]
            lines.append(PricedLine(w.service, w.part, Money(fee, currency), Money(w.part_price, currency)))
        else:
            lines.append(PricedLine(w.service, w.part, Money(labour[w.service], currency), zero))
    total = zero
    for line in lines:
        total = total + line.labour + line.parts
    return Priced(currency, tuple(lines), total)

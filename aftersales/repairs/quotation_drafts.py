"""Drafting a quotation: staff name the work line by line; the fairness rules check it; it is
stored ready to send, or waiting for a verifier.

Drafting prices every line with the pure pricing rules (``billing.rules.pricing``), on the day
of the service centre, with the pack governing the device and the price list of that day:
- a line is free only when it is covered work of a kind the warranty makes free (a covered
  part replaced, diagnosis, drivers, a covered pre-installed system restored);
- where the pack publishes no fee schedule for the region (Hong Kong, Macau, Taiwan), staff
  price by hand: each paid line gives its labour, and its parts unless a list price exists; the
  currency is the pack's for the region; such prices go to a verifier. With no pack at all the
  quotation is refused (``no-policy-pack``): there is no currency to quote in;
- a list price or fair market value in another currency is refused, never converted;
- a line may need another (``needs``: the position of that line); the fairness review refuses a
  covered line needing a paid one, a missing or self reference and circles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from django.db import transaction

from aftersales.accounts.roles import require
from aftersales.billing.models import LineDecision, Quotation, QuotationLine, QuotationStatus
from aftersales.billing.rules.pricing import (
    ALL_WORK,
    PART_REPLACEMENT,
    PricingError,
    covered_for,
    free_kinds,
    is_free,
    list_price,
    published_schedule,
)
from aftersales.billing.rules.quotation import QuoteLine, review
from aftersales.billing.selectors import fair_market_value_on, part_price_on
from aftersales.core.errors import AppError
from aftersales.core.money import Money, parse_amount
from aftersales.core.numbers import plain_number
from aftersales.policy.fees import FeeSchedule
from aftersales.policy.vocabulary import PARTS
from aftersales.repairs.models import Case, PartDecision
from aftersales.repairs.services import locked_case
from aftersales.repairs.status import Status
from aftersales.warranty.packs import packs_in_force


@dataclass(frozen=True)
class Pricing:
    """What drafting prices a case's lines with, read once per draft."""

    product_line: str
    currency: str
    schedule: FeeSchedule | None  # None: nothing published for the region, priced by hand
    free: frozenset[str]
    covered_parts: frozenset[str]
    part_price: Callable[[str], Money | None]


def _pricing(case: Case, day: dt.date) -> Pricing:
    region = case.device.sold_in
    pack = packs_in_force().select(case.product_line, region, day)
    if pack is None:
        raise AppError("no-policy-pack", "No policy pack governs this product in its region, so it cannot be quoted.",
                       "没有适用于该产品及其地区的政策包，无法报价。", status=422)
    covered = frozenset(PartDecision.objects.filter(case=case, covered=True).values_list("part", flat=True))
    return Pricing(case.product_line, pack.currency_for(region), published_schedule(pack, region), free_kinds(pack),
                   covered, lambda part: part_price_on(part=part, product_line=case.product_line,
                                                       region=case.centre.region, model=case.model, day=day))


def _amount(raw: dict, key: str, n: int, what: tuple[str, str]) -> Decimal | None:
    value = raw.get(key)
    if value is None or value == "":
        return None
    return parse_amount(value, field=f"lines[{n}].{key}", what=what)


def _needs(raw: dict, n: int) -> int | None:
    value = raw.get("needs")
    if value is None or value == "":
        return None
    if isinstance(value, str) and (number := plain_number(value.strip(), digits=9)) is not None:
        value = number
    if not isinstance(value, int) or isinstance(value, bool):
        raise AppError("invalid-dependency", f"Line {n}: name the line it needs by its number.",
                       f"第 {n} 行：请用行号指明它所依赖的行。", field=f"lines[{n}].needs")
    return value


def _text(raw: dict, key: str) -> str:
    value = raw.get(key)
    return value.strip() if isinstance(value, str) else ""


def _work(n: int, raw) -> tuple[str, str, dict]:
    """The kind of work a line names, its part ("" for none) and its words in both languages."""
    where = f"lines[{n}]"
    if not isinstance(raw, dict):
        raise AppError("invalid-request", f"Line {n} is not a line of work.", f"第 {n} 行不是工作项目。", field=where)
    service, part = raw.get("service"), raw.get("part") or ""
    if not isinstance(service, str) or service not in ALL_WORK:
        raise AppError("unknown-service", f"{where}: unknown service {service!r}.", f"{where}：未知服务 {service!r}。",
                       field=f"{where}.service")
    if part and (not isinstance(part, str) or part not in PARTS):
        raise AppError("unknown-part", f"{where}: unknown part {part!r}.", f"{where}：未知部件 {part!r}。",
                       field=f"{where}.part")
    texts = {"text_en": _text(raw, "text_en"), "text_zh": _text(raw, "text_zh")}
    if not all(texts.values()):
        raise AppError("missing-field", f"{where}: explain the line in plain words, in English and Chinese.",
                       f"{where}：请用通俗的中英文说明这一行。", field=f"{where}.text")
    return service, part, texts


def _line(n: int, raw, pricing: Pricing) -> tuple[QuoteLine, dict]:
    """One line priced: free when covered work of a free kind; otherwise the amounts staff gave,
    or the published fee and the list price; ``missing-price`` when neither exists."""
    service, part, texts = _work(n, raw)
    covered = is_free(pricing.free, service, covered_for(service, part or None, pricing.covered_parts))
    listed = list_price(pricing.schedule, currency=pricing.currency, product_line=pricing.product_line,
                        service=service, part=part or None,
                        part_price=pricing.part_price(part) if part and service == PART_REPLACEMENT else None)
    list_labour = listed.labour.amount if listed.labour is not None else None
    list_parts = listed.parts.amount if listed.parts is not None else None
    labour = _amount(raw, "labour", n, ("The labour", "人工费"))
    parts = _amount(raw, "parts", n, ("The parts amount", "备件费"))
    labour, parts = (Decimal(0), Decimal(0)) if covered else (
        list_labour if labour is None else labour, list_parts if parts is None else parts)
    if labour is None or parts is None:
        raise AppError("missing-price", f"Line {n}: no price is published for this work here; give the labour and "
                                        f"the parts amounts.",
                       f"第 {n} 行：此处没有公布这项工作的价格，请填写人工费和备件费。",
                       field=f"lines[{n}].labour" if labour is None else f"lines[{n}].parts")
    line = QuoteLine(service=service, part=part, labour=labour, parts=parts, list_labour=list_labour,
                     list_parts=list_parts if service == PART_REPLACEMENT else None, covered=covered,
                     cosmetic=bool(raw.get("cosmetic")), affects_function=bool(raw.get("affects_function")),
                     customer_requested=bool(raw.get("customer_requested")), needs=_needs(raw, n))
    return line, texts


def _fair_market_value(case: Case, day: dt.date, currency: str) -> Decimal | None:
    value = fair_market_value_on(model=case.model, region=case.centre.region, day=day)
    if value is not None and value.currency != currency:
        raise PricingError("currency-mismatch", f"The device's fair market value is in {value.currency}, but this "
                                                f"quotation is in {currency}.",
                           f"产品的公允市场价值以 {value.currency} 标示，而本报价以 {currency} 计价。", status=422)
    return value.amount if value is not None else None


@transaction.atomic
def quotation_draft(*, number: str, lines: list[dict], author, now: dt.datetime, explanation: str = "",
                    unit_infeasible_reason: str = "") -> Quotation:
    require(author, "quote.author")
    case = locked_case(number, actor=author, statuses={Status.DIAGNOSING})
    day = case.day(now)
    pricing = _pricing(case, day)
    if not isinstance(lines, list):
        raise AppError("invalid-request", "The lines of a quotation come as a list.", "报价的各行须以列表形式提供。",
                       field="lines")
    built = [_line(n, raw, pricing) for n, raw in enumerate(lines, start=1)]
    fmv = _fair_market_value(case, day, pricing.currency)
    result = review([b[0] for b in built], fair_market_value=fmv, unit_infeasible_reason=unit_infeasible_reason,
                    explanation=explanation)
    if result.refusals:
        first = result.refusals[0]
        raise AppError(first.code, " ".join(f.en for f in result.refusals), "".join(f.zh for f in result.refusals),
                       field=f"lines[{first.line}]" if first.line else "lines")
    quotation = Quotation.objects.create(
        case=case, currency=pricing.currency, fair_market_value=fmv, explanation=explanation.strip(),
        unit_infeasible_reason=unit_infeasible_reason.strip(), author=author, created_at=now,
        status=QuotationStatus.AWAITING_VERIFICATION if result.needs_verification else QuotationStatus.READY,
        needs_verification=[{"code": f.code, "en": f.en, "zh": f.zh} for f in result.needs_verification])
    QuotationLine.objects.bulk_create(
        QuotationLine(quotation=quotation, position=n, service=q.service, part=q.part, labour=q.labour, parts=q.parts,
                      list_labour=q.list_labour, list_parts=q.list_parts, covered=q.covered, cosmetic=q.cosmetic,
                      affects_function=q.affects_function, customer_requested=q.customer_requested, needs=q.needs,
                      decision=LineDecision.INCLUDED if q.covered else LineDecision.PENDING, **texts)
        for n, (q, texts) in enumerate(built, start=1))
    return quotation

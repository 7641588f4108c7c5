"""The fee-preview batch: price each JSONL line of work with the fee schedule in force today.

Input line: ``id``, ``product_line``, ``region``, ``in_warranty`` (bool), ``quotation_rejected``
(bool, optional), ``work: [{"service", "part"?, "part_price"?}]`` with prices as decimal strings.
Output line: ``id``, ``currency``, ``lines: [{"service", "part"?, "labour", "parts"}]``, ``total``
(decimal strings with two places), or ``id`` and ``error``.
"""

from __future__ import annotations

import datetime as dt
from typing import BinaryIO, Callable

import orjson

from aftersales.billing.rules.pricing import PricingError, price_work, work_item
from aftersales.core.errors import AppError
from aftersales.core.jsonl import error_line
from aftersales.warranty.rules.engine import PackSet
from aftersales.policy.vocabulary import PRODUCT_LINES, REGIONS


def _bool(obj: dict, field: str, *, required: bool) -> bool:
    value = obj.get(field)
    if value is None and not required:
        return False
    if not isinstance(value, bool):
        raise PricingError("invalid-request", f"{field} must be true or false.", f"{field} 必须为 true 或 false。",
                           field=field)
    return value


def preview_line(obj, packs: PackSet, today: Callable[[str], dt.date]) -> dict:
    if not isinstance(obj, dict):
        raise PricingError("invalid-json", "The line is not a JSON object.", "该行不是 JSON 对象。")
    line, region = obj.get("product_line"), obj.get("region")
    if line not in PRODUCT_LINES:
        raise PricingError("unknown-product-line", f"Unknown product line {line!r}.", f"未知产品线 {line!r}。",
                           field="product_line")
    if region not in REGIONS:
        raise PricingError("unknown-region", f"Unknown region {region!r}.", f"未知地区 {region!r}。", field="region")
    in_warranty = _bool(obj, "in_warranty", required=True)
    rejected = _bool(obj, "quotation_rejected", required=False)
    work = obj.get("work")
    if not isinstance(work, list):
        raise PricingError("invalid-request", "work must be a list.", "work 必须是列表。", field="work")
    items = [work_item(raw, i) for i, raw in enumerate(work)]
    pack = packs.select(line, region, today(region))
    if pack is None or pack.fees is None:
        raise PricingError("no-fee-schedule",
                           f"No published fee schedule covers {line} in {region}; a person prices this work.",
                           f"{region} 的 {line} 没有公布的收费标准，需由工作人员报价。", field="region", status=422)
    priced = price_work(pack.fees, product_line=line, currency=pack.currency_for(region), in_warranty=in_warranty,
                        quotation_rejected=rejected, work=items)
    lines = []
    for p in priced.lines:
        out = {"service": p.service}
        if p.part is not None:
            out["part"] = p.part
        out["labour"] = str(p.labour.amount)
        out["parts"] = str(p.parts.amount)
        lines.append(out)
    return {"id": obj.get("id"), "currency": priced.currency, "lines": lines, "total": str(priced.total.amount)}


def run_preview(infile: BinaryIO, outfile: BinaryIO, *, packs: PackSet, today: Callable[[str], dt.date],
                progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    lines = errors = 0
    for raw in infile:
        lines += 1
        try:
            obj = orjson.loads(raw)
        except orjson.JSONDecodeError:
            obj = None
        try:
            result = preview_line(obj, packs, today)
        except AppError as exc:
            errors += 1
            result = error_line(obj.get("id") if isinstance(obj, dict) else None, exc.code, exc.en, exc.zh)
        outfile.write(orjson.dumps(result) + b"\n")
        if progress is not None:
            progress(len(raw))
    return lines, errors

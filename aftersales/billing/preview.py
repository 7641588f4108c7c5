"""The fee-preview batch: price each JSONL line of work with the fee schedule in force today.

Input line: ``id``, ``product_line``, ``region``, ``in_warranty`` (bool), ``quotation_rejected``
(bool, optional), ``work: [{"service", "part"?, "part_price"?, "in_warranty"?}]`` with prices as
decimal strings (or whole numbers), and ``visit`` (optional, see ``visit_preview``). A work
item's ``in_warranty`` wins over the line's, so one job can mix covered and paid work.
Output line: ``id``, ``currency``, ``lines: [{"service", "part"?, "labour", "parts"}]``,
``trip_fee`` (with a visit), ``total`` (decimal strings with two places), or ``id`` and ``error``.

Whatever a line holds — wrong types, nested objects, huge or hostile numbers, bytes that are
not UTF-8, nothing at all — it becomes a priced line or an error line; it never stops the batch.
An ``id`` is echoed back: text up to 200 characters or a whole number; anything else is refused
(``invalid-id``) and the error line's ``id`` is null.
"""

from __future__ import annotations

import datetime as dt
from typing import BinaryIO, Callable


from aftersales.billing.rules.pricing import PricingError, WorkItem, price_work, schedule_for
from aftersales.billing.visit_preview import trip_amount, visit_trip
from aftersales.core.errors import AppError
from aftersales.core.jsonl import answer_lines, shown
from aftersales.core.money import parse_amount
from aftersales.policy.vocabulary import PARTS, PRODUCT_LINES, REGIONS, SERVICES
from aftersales.warranty.rules.engine import PackSet


def _bool(obj: dict, field: str, *, required: bool) -> bool | None:
    value = obj.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, bool):
        raise PricingError("invalid-request", f"{field} must be true or false.", f"{field} 必须为 true 或 false。",
                           field=field)
    return value


def _named(value, table: dict) -> bool:
    return isinstance(value, str) and value in table


ID_LIMIT = 200
SAFE_INTEGER = 2**53  # beyond it a JSON reader may round the number


def line_id(obj: dict):
    """The line's ``id``, when it is one that can be echoed back unchanged."""
    value = obj.get("id")
    if value is None or (isinstance(value, str) and len(value) <= ID_LIMIT) or (
            isinstance(value, int) and not isinstance(value, bool) and abs(value) < SAFE_INTEGER):
        return value
    raise PricingError("invalid-id", f"id must be text of at most {ID_LIMIT} characters or a whole number.",
                       f"id 必须是不超过 {ID_LIMIT} 个字符的文本或整数。", field="id")


def work_item(raw, index: int) -> WorkItem:
    """Validate one ``work`` entry: ``{"service", "part"?, "part_price"?, "in_warranty"?}``."""
    where = f"work[{index}]"
    if not isinstance(raw, dict):
        raise PricingError("invalid-request", f"{where} must be an object.", f"{where} 必须是对象。", field=where)
    service = raw.get("service")
    if not _named(service, SERVICES):
        raise PricingError("unknown-service",
                           f"{where}: unknown service {shown(service)}; use one of {', '.join(SERVICES)}.",
                           f"{where}：未知服务 {shown(service)}；可用：{', '.join(SERVICES)}。",
                           field=f"{where}.service")
    part = raw.get("part")
    if part is not None and not _named(part, PARTS):
        raise PricingError("unknown-part", f"{where}: unknown part {shown(part)}.",
                           f"{where}：未知部件 {shown(part)}。", field=f"{where}.part")
    price = raw.get("part_price")
    if price is not None:
        try:
            price = parse_amount(price, field=f"{where}.part_price", what=(f"{where}.part_price", f"{where}.part_price "))
        except AppError as exc:
            raise PricingError(exc.code, exc.en, exc.zh, field=exc.field) from exc
        if service != "part-replacement":
            raise PricingError("unexpected-part-price",
                               f"{where}: only a part replacement carries a part price ({service} uses no parts "
                               f"of ours).", f"{where}：只有备件更换才有备件价格（{service} 不使用我方备件）。",
                               field=f"{where}.part_price")
    if service == "part-replacement" and part is None:
        raise PricingError("missing-part", f"{where}: a part replacement must name the part.",
                           f"{where}：备件更换必须注明部件。", field=f"{where}.part")
    return WorkItem(service, part, price, _bool(raw, "in_warranty", required=False))


def preview_line(obj, packs: PackSet, today: Callable[[str], dt.date]) -> dict:
    if not isinstance(obj, dict):
        raise PricingError("not-an-object", "The line is not a JSON object.", "该行不是 JSON 对象。")
    line_key = line_id(obj)
    line, region = obj.get("product_line"), obj.get("region")
    if not _named(line, PRODUCT_LINES):
        raise PricingError("unknown-product-line", f"Unknown product line {shown(line)}.",
                           f"未知产品线 {shown(line)}。", field="product_line")
    if not _named(region, REGIONS):
        raise PricingError("unknown-region", f"Unknown region {shown(region)}.", f"未知地区 {shown(region)}。",
                           field="region")
    in_warranty = _bool(obj, "in_warranty", required=True)
    rejected = bool(_bool(obj, "quotation_rejected", required=False))
    work = obj.get("work")
    if not isinstance(work, list):
        raise PricingError("invalid-request", "work must be a list.", "work 必须是列表。", field="work")
    items = [work_item(raw, i) for i, raw in enumerate(work)]
    trip = visit_trip(obj["visit"]) if "visit" in obj else None
    pack = packs.select(line, region, today(region))
    if pack is None:
        raise PricingError("no-fee-schedule", f"No policy pack covers {line} in {region}, so no fee schedule does.",
                           f"{region} 的 {line} 没有适用的政策包，因此也没有收费标准。", field="region", status=422)
    priced = price_work(schedule_for(pack, region), product_line=line, in_warranty=in_warranty,
                        quotation_rejected=rejected, work=items)
    lines = []
    for p in priced.lines:
        out = {"service": p.service}
        if p.part is not None:
            out["part"] = p.part
        out["labour"] = str(p.labour.amount)
        out["parts"] = str(p.parts.amount)
        lines.append(out)
    out = {"id": line_key, "currency": priced.currency, "lines": lines}
    total = priced.total.amount
    if trip is not None:
        fee = trip_amount(pack, region, trip)
        out["trip_fee"] = str(fee)
        total += fee
    out["total"] = str(total)
    return out


def run_preview(infile: BinaryIO, outfile: BinaryIO, *, packs: PackSet, today: Callable[[str], dt.date],
                progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Price every line of ``infile`` into ``outfile``; raises ``jsonl.Unreadable`` before
    writing anything when the input is not UTF-8 text."""
    return answer_lines(infile, outfile, lambda obj: preview_line(obj, packs, today), line_id=line_id,
                        progress=progress)

"""Maintaining the parts price list and the fair market values (administrators, SPEC: actors).

History is never edited. A price is added from a day on and later ended with the last day it
applies; nothing else about a row ever changes and no row is deleted, so a quotation drafted
last year and an audit re-pricing an old case both see the list as it stood on their day. So:
- a new row starts today or later, in the region's calendar, and overlaps no other row of its
  key (part, product line, region and model; for a fair market value, model and region);
- only an open row can be ended, on today or later and never before it started;
- amounts go through the one amount parser (``core.money.parse_amount``); the currency is a
  known one, and the one the policy packs give the region when a pack governs it.

The published list of past years comes in from a file (``part_prices_import``, the
``import-prices`` command): each row runs until the next row of its key starts, and a row that
would change a day the list already prices is refused.

Rows of one key are locked before the overlap check, so two administrators adding at once
cannot both succeed against the same open row.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import models, transaction

from aftersales.accounts.roles import require
from aftersales.billing.models import FairMarketValue, PartPrice
from aftersales.core.errors import AppError, Conflict, NotFound
from aftersales.core.money import CURRENCIES, parse_amount
from aftersales.policy.vocabulary import PARTS, PRODUCT_LINES, REGIONS
from aftersales.warranty.decisions import REGION_TIMEZONES
from aftersales.warranty.packs import packs_in_force

MANAGE = "prices.manage"


def _day(value, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise AppError("invalid-date", "Give the date as year-month-day, e.g. 2025-07-01.",
                       "请按“年-月-日”填写日期，例如 2025-07-01。", field=field)


def _today(region: str, now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(REGION_TIMEZONES.get(region, "UTC"))).date()


def _known(value: str, table: dict, code: str, en: str, zh: str, field: str) -> str:
    if value not in table:
        raise AppError(code, en, zh, field=field)
    return value


def _currency(currency: str, region: str) -> str:
    _known(currency, CURRENCIES, "unknown-currency", f"Choose one of {', '.join(CURRENCIES)}.",
           f"请选择 {'、'.join(CURRENCIES)} 之一。", "currency")
    used = {p.currency_for(region) for p in packs_in_force().packs if region in p.regions}
    if used and currency not in used:
        raise AppError("wrong-currency", f"Prices in {REGIONS[region][0]} are in {' or '.join(sorted(used))}, "
                                         f"as the policy packs say, not in {currency}.",
                       f"按政策包规定，{REGIONS[region][1]}的价格以 {'或'.join(sorted(used))} 标示，而不是 {currency}。",
                       field="currency")
    return currency


def _starts(valid_from, region: str, now: dt.datetime) -> dt.date:
    day = _day(valid_from, "valid_from")
    if day < _today(region, now):
        raise AppError("starts-in-the-past", "A new price starts today or later: earlier days keep the prices "
                                             "they had, which quotations and audits rely on.",
                       "新价格只能从今天或以后开始：以前的日子保留当时的价格，报价和审计都以此为准。",
                       field="valid_from")
    return day


def _no_overlap(rows: models.QuerySet, start: dt.date) -> None:
    """A new row runs from ``start`` with no end yet, so every row of the key still running on or
    after ``start`` overlaps it."""
    running = [r for r in rows.select_for_update().order_by("valid_from") if r.valid_to is None or r.valid_to >= start]
    if running:
        clash = running[0]
        until = clash.valid_to.isoformat() if clash.valid_to else "open-ended"
        until_zh = clash.valid_to.isoformat() if clash.valid_to else "无截止日期"
        raise Conflict("price-overlap", f"This overlaps the row valid from {clash.valid_from} to {until}. End that row "
                                        f"first, on the day before the new one starts.",
                       f"与 {clash.valid_from} 至 {until_zh} 的记录重叠。请先结束那条记录（截至新记录开始的前一天）。",
                       field="valid_from")


@transaction.atomic
def part_price_add(*, part: str, product_line: str, region: str, model: str = "", price, currency: str,
                   valid_from, actor, now: dt.datetime) -> PartPrice:
    require(actor, MANAGE)
    _known(part, PARTS, "unknown-part", "Choose a part.", "请选择部件。", "part")
    _known(product_line, PRODUCT_LINES, "unknown-product-line", "Choose a product line.", "请选择产品线。", "product_line")
    _known(region, REGIONS, "unknown-region", "Choose a region.", "请选择地区。", "region")
    model = (model or "").strip()[:64]
    amount = parse_amount(price, field="price", what=("The price", "价格"))
    currency = _currency(currency, region)
    start = _starts(valid_from, region, now)
    _no_overlap(PartPrice.objects.filter(part=part, product_line=product_line, region=region, model=model), start)
    return PartPrice.objects.create(part=part, product_line=product_line, region=region, model=model, price=amount,
                                    currency=currency, valid_from=start)


@transaction.atomic
def fair_market_value_add(*, model: str, region: str, value, currency: str, valid_from, actor,
                          now: dt.datetime) -> FairMarketValue:
    require(actor, MANAGE)
    model = (model or "").strip()
    if not model or len(model) > 64:
        raise AppError("missing-field", "Give the model name (at most 64 characters).",
                       "请填写型号（最多 64 个字符）。", field="model")
    _known(region, REGIONS, "unknown-region", "Choose a region.", "请选择地区。", "region")
    amount = parse_amount(value, field="value", what=("The value", "价值"))
    if amount == 0:
        raise AppError("invalid-amount", "A fair market value is more than zero.", "公允市场价值必须大于零。",
                       field="value")
    currency = _currency(currency, region)
    start = _starts(valid_from, region, now)
    _no_overlap(FairMarketValue.objects.filter(model=model, region=region), start)
    return FairMarketValue.objects.create(model=model, region=region, value=amount, currency=currency,
                                          valid_from=start)


def _end(row, valid_to, now: dt.datetime):
    if row.valid_to is not None:
        raise Conflict("already-ended", f"This row already ends on {row.valid_to}; history is not changed.",
                       f"该记录已于 {row.valid_to} 结束；历史记录不可更改。")
    day = _day(valid_to, "valid_to")
    if day < row.valid_from:
        raise AppError("ends-before-start", f"A row cannot end before it starts ({row.valid_from}).",
                       f"记录不能在开始日期（{row.valid_from}）之前结束。", field="valid_to")
    if day < _today(row.region, now):
        raise AppError("ends-in-the-past", "A row ends today or later: the days before keep the price they had.",
                       "记录只能在今天或以后结束：此前的日子保留当时的价格。", field="valid_to")
    row.valid_to = day
    row.save(update_fields=["valid_to"])
    return row


@transaction.atomic
def part_price_end(*, price_id: int, valid_to, actor, now: dt.datetime) -> PartPrice:
    require(actor, MANAGE)
    row = PartPrice.objects.select_for_update().filter(pk=price_id).first()
    if row is None:
        raise NotFound("unknown-price", "No such price.", "没有该价格记录。")
    return _end(row, valid_to, now)


@transaction.atomic
def fair_market_value_end(*, value_id: int, valid_to, actor, now: dt.datetime) -> FairMarketValue:
    require(actor, MANAGE)
    row = FairMarketValue.objects.select_for_update().filter(pk=value_id).first()
    if row is None:
        raise NotFound("unknown-price", "No such value.", "没有该价值记录。")
    return _end(row, valid_to, now)


# --- the published list's history, from a file ---------------------------------------------------

PRICE_KEY = ("part", "product_line", "model", "region")


def _price_row(raw: dict) -> dict:
    try:
        row = {"part": _known((raw.get("part") or "").strip(), PARTS, "unknown-part", "Unknown part.", "未知部件。", "part"),
               "product_line": _known((raw.get("product_line") or "").strip(), PRODUCT_LINES, "unknown-product-line",
                                      "Unknown product line.", "未知产品线。", "product_line"),
               "region": _known((raw.get("region") or "").strip(), REGIONS, "unknown-region", "Unknown region.",
                                "未知地区。", "region"),
               "model": (raw.get("model") or "").strip()[:64],
               "price": parse_amount(raw.get("price") or "", field="price", what=("The price", "价格")),
               "valid_from": _day(raw.get("effective_from"), "effective_from")}
        row["currency"] = _currency((raw.get("currency") or "").strip(), row["region"])
    except AppError as exc:
        exc.field = {"valid_from": "effective_from"}.get(exc.field, exc.field)
        raise
    return row


def _placed(row: dict, rows_of_key: list, starts: list[dt.date]) -> tuple[str, dt.date | None]:
    """Whether ``row`` is already stored ("same"), new ("new", with its last day: the day before
    the next start of its key), or would change a stored price's days (an error code)."""
    for old in rows_of_key:
        if old.valid_from == row["valid_from"]:
            same = old.price == row["price"] and old.currency == row["currency"]
            return ("same" if same else "price-conflict"), None
    later = [s for s in starts if s > row["valid_from"]]
    end = min(later) - dt.timedelta(days=1) if later else None
    for old in rows_of_key:
        if old.valid_from <= (end or dt.date.max) and (old.valid_to is None or old.valid_to >= row["valid_from"]):
            return "price-overlap", None
    return "new", end


_REFUSED = {"price-conflict": ("The list already has a different price from this day.", "价目表中该日起已有不同的价格。"),
            "price-overlap": ("This would change the price of days the list already prices.",
                              "这会改变价目表中已有价格的日期的价格。")}


@transaction.atomic
def part_prices_import(*, rows, refuse) -> tuple[int, int]:
    """Add the historical list rows ``rows`` (``(number, {column: text})``, columns as
    ``import-prices`` reads them). Each row runs from its ``effective_from`` to the day before
    the next row of its key; a row already stored with that start and price is left as it is, and
    a row that would change the price of a day already on the list is refused, never applied.
    ``refuse(number, AppError)`` hears each refused row. Returns (added, already there)."""
    good, keys = [], {}
    for number, raw in rows:
        try:
            row = _price_row(raw)
        except AppError as exc:
            refuse(number, exc)
            continue
        key = tuple(row[k] for k in PRICE_KEY)
        if row["valid_from"] in keys.setdefault(key, set()):
            refuse(number, AppError("repeated-row", "The file gives this price twice.", "文件中该价格出现了两次。",
                                    field="effective_from"))
            continue
        keys[key].add(row["valid_from"])
        good.append((number, key, row))
    added = same = 0
    for number, key, row in good:
        stored = list(PartPrice.objects.select_for_update().filter(**dict(zip(PRICE_KEY, key))))
        outcome, end = _placed(row, stored, sorted(keys[key] | {r.valid_from for r in stored}))
        if outcome == "same":
            same += 1
        elif outcome == "new":
            PartPrice.objects.create(**row, valid_to=end)
            added += 1
        else:
            refuse(number, AppError(outcome, *_REFUSED[outcome], field="effective_from"))
    return added, same

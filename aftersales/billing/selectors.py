"""Reads of the price list and the fair market values: the row in force on a day, and the rows
of a key as history (newest first) for the console.

A row is in force on ``day`` when ``valid_from <= day`` and ``valid_to`` is empty or on or after
``day``; rows of one key never overlap (``billing.pricelist``), so at most one is. A part price
for the device's model wins over the price for every model of the line.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from aftersales.billing.models import FairMarketValue, PartPrice
from aftersales.core.money import Money


def _in_force(day: dt.date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def part_price_on(*, part: str, product_line: str, region: str, model: str, day: dt.date) -> Money | None:
    row = (PartPrice.objects.filter(_in_force(day), part=part, product_line=product_line, region=region)
           .filter(Q(model=model) | Q(model="")).order_by("-model", "-valid_from").first())
    return Money(row.price, row.currency) if row else None


def fair_market_value_on(*, model: str, region: str, day: dt.date) -> Money | None:
    row = (FairMarketValue.objects.filter(_in_force(day), model=model, region=region)
           .order_by("-valid_from").first())
    return Money(row.value, row.currency) if row else None


def part_prices(*, part: str = "", product_line: str = "", region: str = "", model: str = "") -> QuerySet[PartPrice]:
    rows = PartPrice.objects.all()
    for name, value in (("part", part), ("product_line", product_line), ("region", region)):
        if value:
            rows = rows.filter(**{name: value})
    if model:
        rows = rows.filter(model__istartswith=model)
    return rows.order_by("part", "product_line", "region", "model", "-valid_from")


def fair_market_values(*, model: str = "", region: str = "") -> QuerySet[FairMarketValue]:
    rows = FairMarketValue.objects.all()
    if model:
        rows = rows.filter(model__istartswith=model)
    if region:
        rows = rows.filter(region=region)
    return rows.order_by("model", "region", "-valid_from")

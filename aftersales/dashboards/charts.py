"""What a chart is: a selector that returns rows, and the words and units to draw them with.

A ``Chart`` names one selector (``rows(scope) -> list[dict]``, aggregated by the database) and
says which column of its rows gives each bar's or point's name (``category``), which columns are
drawn (``series``) and which appear only in the table and the CSV file (``more``). The table and
the file show every column, the drawn ones first unless ``table`` gives another order. Nothing in a declaration
knows about HTML, Chart.js or CSV: ``figures`` turns rows into the reader's words for all three.

Series of one unit share a value axis; a series of another unit than the first (a percentage
beside counts, an amount beside counts) is drawn over the bars on an axis of its own, on the
right. An amount column may hold each currency's sum (``per_currency``): it is shown as one
column, one series and one axis per currency, since amounts in different currencies are never
added together.

``Scope`` is what the reader asked for and may see: the centres (None for every centre) and the
period (``since`` .. ``until``); a selector applies it with ``scope.where(...)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Q

Row = Mapping[str, Any]
Unit = Literal["label", "count", "days", "percent", "amount", "month"]


@dataclass(frozen=True, slots=True)
class Scope:
    centres: frozenset[int] | None  # None: every centre
    since: dt.datetime | None  # None: from the first record
    until: dt.datetime  # now, read once for the whole page

    def where(self, *, centre: str, at: str) -> Q:
        """The rows of the scope's centres whose ``at`` falls in its period; ``centre`` is the path
        to the centre's id (``centre_id``, ``case__centre_id``)."""
        q = Q(**{f"{at}__lte": self.until})
        if self.since is not None:
            q &= Q(**{f"{at}__gte": self.since})
        if self.centres is not None:
            q &= Q(**{f"{centre}__in": sorted(self.centres)})
        return q


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the row's key
    title: str  # lazy: the table heading, the CSV heading, the legend
    unit: Unit = "count"
    # For the category column: the row's name in the reader's language (default: the value).
    words: Callable[[Row, str], str] | None = None
    # For an amount: the row's value is {currency: amount}, shown once for each currency.
    per_currency: bool = False


@dataclass(frozen=True, slots=True)
class Chart:
    slug: str  # in the address of its CSV file: ?export=csv&chart=<slug>
    title: str  # lazy
    summary: str  # lazy: one sentence on what is counted, and over which period
    rows: Callable[[Scope], Sequence[Row]]
    category: Column
    series: tuple[Column, ...]
    more: tuple[Column, ...] = ()  # in the table and the CSV file only
    kind: Literal["bar", "stacked", "line"] = "bar"
    # The keys of the series and the more columns in the order of the table and the CSV file,
    # when it is not the series then the more columns.
    table: tuple[str, ...] = ()
    action: str = "dashboard.view"  # who may read it (accounts.roles.ACTIONS)

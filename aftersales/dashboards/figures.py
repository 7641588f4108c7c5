"""A chart's rows in the reader's words: the table under the chart, the CSV file, and the data the
drawing script reads.

The table and the CSV file carry the exact figures as text (days and percentages to one decimal,
amounts as their decimal strings); only the drawing gets plain numbers, because that is what a
chart plots. An empty figure (None) is blank in the CSV file, a dash in the table, and a gap in
the drawing.

A column of amounts per currency (``Column.per_currency``) becomes one column for each currency
the rows hold, in the order of the currency codes, headed "Compensation paid (CNY)"; in the
drawing each is a series on an axis of its own, named by the currency.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from aftersales.dashboards.charts import Chart, Column, Row

DASH = "—"
# A spreadsheet program reads a cell that starts with one of these as a formula (and runs it).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text(value, unit: str) -> str:
    """One figure as the CSV file and the table write it ("" for none)."""
    if value is None:
        return ""
    if unit == "count":
        return str(int(value))
    if unit in ("days", "percent"):
        return f"{float(value):.1f}"
    if unit == "month":
        return f"{value:%Y-%m}" if isinstance(value, dt.date) else str(value)[:7]
    return str(value)


def number(value, unit: str) -> float | int | None:
    """One figure for the drawing."""
    if value is None:
        return None
    if unit == "count":
        return int(value)
    if unit in ("days", "percent"):
        return round(float(value), 1)
    return float(value) if isinstance(value, (Decimal, int, float)) else None


def name(column: Column, row: Row, language: str) -> str:
    """The category's name for one row, in the reader's language."""
    if column.words is not None:
        return column.words(row, language)
    return text(row[column.key], column.unit)


@dataclass(frozen=True, slots=True)
class Shown:
    """One column as the table, the file and the drawing show it: a declared column, or one
    currency of a column of amounts per currency."""

    column: Column
    currency: str = ""

    @property
    def title(self) -> str:
        if not self.currency:
            return str(self.column.title)
        return _("%(figure)s (%(currency)s)") % {"figure": self.column.title, "currency": self.currency}

    def value(self, row: Row):
        value = row.get(self.column.key)
        return value.get(self.currency) if self.currency and value is not None else value

    @property
    def axis(self) -> str:
        """The value axis the series is drawn on: one for each unit, and each currency."""
        return f"{self.column.unit}-{self.currency}" if self.currency else self.column.unit


def shown(columns: tuple[Column, ...], rows: list[Row]) -> list[Shown]:
    found = []
    for column in columns:
        if column.per_currency:
            currencies = sorted({currency for row in rows for currency in (row.get(column.key) or {})})
            found += [Shown(column, currency) for currency in currencies]
        else:
            found.append(Shown(column))
    return found


@dataclass(frozen=True, slots=True)
class Figure:
    chart: Chart
    headings: list[str]
    units: list[str]  # each heading's unit ("label" for a name)
    lines: list[list[str]]  # the table, one list of cells per row; the first cell names the row
    drawing: dict  # what the drawing script reads (json_script)

    @property
    def empty(self) -> bool:
        return not self.lines


def _axis_title(one: Shown) -> str:
    return one.currency or ("%" if one.column.unit == "percent" else "")


def figure(chart: Chart, rows: list[Row], language: str) -> Figure:
    drawn, more = shown(chart.series, rows), shown(chart.more, rows)
    columns = drawn + more
    if chart.table:
        columns.sort(key=lambda one: chart.table.index(one.column.key))
    headings = [str(chart.category.title), *(one.title for one in columns)]
    lines = [[name(chart.category, row, language), *(text(one.value(row), one.column.unit) for one in columns)]
             for row in rows]
    axes: dict[str, dict] = {}
    for one in drawn:
        # The first unit's axis is the chart's own, on the left; the others are drawn on the right.
        axes.setdefault(one.axis, {"id": "y" if not axes else one.axis, "unit": one.column.unit,
                                   "title": _axis_title(one) if axes else ""})
    over_time = chart.category.unit == "month"
    drawing = {
        "kind": chart.kind,
        "labels": [line[0] for line in lines],
        "axes": list(axes.values()),
        "series": [{"label": one.title, "unit": one.column.unit, "axis": axes[one.axis]["id"],
                    # a series on the chart's own axis takes the chart's kind; one on another axis
                    # is a line over time, and points over names (a line between centres means nothing)
                    "style": "" if axes[one.axis]["id"] == "y" else ("line" if over_time else "points"),
                    "data": [number(one.value(row), one.column.unit) for row in rows]}
                   for one in drawn],
    }
    return Figure(chart, headings, [chart.category.unit, *(one.column.unit for one in columns)], lines, drawing)


def inert(cell: str) -> str:
    """A name as a spreadsheet should show it: one that would read as a formula (a centre named
    "=HYPERLINK(...)" or "+86 Repairs") gets a leading apostrophe, so it stays text."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def csv_text(found: Figure) -> str:
    """The figure as a CSV file: a heading line in the reader's language, then one line a row.
    It opens with a byte-order mark so that spreadsheet programs read the Chinese as UTF-8.
    Names (the label columns; the figures are our own numbers) are kept from reading as formulas."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(found.headings)
    names = [unit == "label" for unit in found.units]
    writer.writerows([inert(cell) if name else cell for cell, name in zip(line, names)] for line in found.lines)
    return out.getvalue()

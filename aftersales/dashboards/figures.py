"""A chart's rows in the reader's words: the table under the chart, the CSV file, and the data the
drawing script reads.

The table and the CSV file carry the exact figures as text (days and percentages to one decimal,
amounts as their decimal strings); only the drawing gets plain numbers, because that is what a
chart plots. An empty figure (None) is blank in the CSV file, a dash in the table, and a gap in
the drawing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

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
class Figure:
    chart: Chart
    headings: list[str]
    lines: list[list[str]]  # the table, one list of cells per row; the first cell names the row
    drawing: dict  # what the drawing script reads (json_script)

    @property
    def empty(self) -> bool:
        return not self.lines


def figure(chart: Chart, rows: list[Row], language: str) -> Figure:
    headings = [str(column.title) for column in chart.columns]
    lines = [[name(chart.category, row, language),
              *(text(row.get(c.key), c.unit) for c in chart.series + chart.more)] for row in rows]
    drawing = {
        "kind": chart.kind,
        "labels": [line[0] for line in lines],
        "series": [{"label": str(c.title), "unit": c.unit, "data": [number(row.get(c.key), c.unit) for row in rows]}
                   for c in chart.series],
    }
    return Figure(chart, headings, lines, drawing)


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
    names = [column.unit == "label" for column in found.chart.columns]
    writer.writerows([inert(cell) if name else cell for cell, name in zip(line, names)] for line in found.lines)
    return out.getvalue()

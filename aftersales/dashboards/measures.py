"""Measures the database works out for a chart: the days between two moments, and the median
and 90th percentile of those days within each group.

The database counts the rows of each group by their days to the tenth (a histogram: one row per
group and tenth of a day that occurs, a few thousand at most however many cases there are); the
percentiles are read off the running counts. They are nearest-rank: within a group of n values in
order, the median is the value at rank ceil(n/2) and the 90th percentile the one at rank
ceil(9n/10) — always a value that occurred, rounded to a tenth of a day as the dashboard shows it
(rounding keeps the order, so this is the exact percentile, rounded). A grouped count is a single
pass that PostgreSQL hashes; ranking every row with a window function would sort them all.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Func, IntegerField, QuerySet


class TenthsOfDays(Func):
    """Tenths of a day from the first timestamp column to the second, rounded half up."""

    output_field = IntegerField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, arg_joiner=") - julianday(",
                           template="CAST(round((julianday(%(expressions)s)) * 10) AS INTEGER)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, arg_joiner=" - ",
                           # date_part gives double precision (extract gives numeric, several
                           # times slower per row); floor(x + 0.5) rounds half up, as SQLite's
                           # round() does for these positive spans.
                           template="floor(date_part('epoch', %(expressions)s) / 8640 + 0.5)::integer", **extra)


def tenths_of_days(started: str, ended: str) -> TenthsOfDays:
    return TenthsOfDays(F(ended), F(started))


def _ranked(counts: list[tuple[int, int]]) -> tuple[int, Decimal, Decimal]:
    """How many values, and their median and 90th percentile in days, from (tenths, how many)
    pairs in order of tenths."""
    total = sum(n for _, n in counts)
    half, ninety = (total + 1) // 2, (9 * total + 9) // 10
    found, seen = {}, 0
    for tenths, n in counts:
        seen += n
        for name, rank in (("median", half), ("p90", ninety)):
            if name not in found and seen >= rank:
                found[name] = Decimal(tenths).scaleb(-1)
    return total, found["median"], found["p90"]


def median_and_p90(rows: QuerySet, *, group: str, started: str, ended: str) -> dict[str, dict]:
    """For each value of ``group`` among ``rows``: how many rows (``cases``), and the median and
    90th percentile of the days from ``started`` to ``ended`` (nearest rank, to the tenth)."""
    histogram = (rows.order_by().values(group, tenths=tenths_of_days(started, ended))
                 .annotate(n=Count("pk")).order_by(group, "tenths").values_list(group, "tenths", "n"))
    by_group: dict[str, list[tuple[int, int]]] = {}
    for key, tenths, n in histogram:
        by_group.setdefault(key, []).append((tenths, n))
    found = {}
    for key, counts in by_group.items():
        total, median, p90 = _ranked(counts)
        found[key] = {group: key, "cases": total, "median": median, "p90": p90}
    return found

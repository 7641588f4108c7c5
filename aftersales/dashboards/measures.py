"""Measures the database works out for a chart: the days between two moments, and the median
and 90th percentile of a measure within each group.

Percentiles are nearest-rank: within a group of n values in order, the median is the value at
rank ceil(n/2) and the 90th percentile the value at rank ceil(9n/10) — always a value that
occurred, and the same on SQLite (which has no percentile function) and PostgreSQL. The database
numbers the rows of each group with a window function and hands back only the rows at those
ranks, at most two a group; no case travels to Python.
"""

from __future__ import annotations

from django.db.models import Count, ExpressionWrapper, F, FloatField, Func, IntegerField, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber


class ElapsedDays(Func):
    """Days (with their fraction) from the first timestamp column to the second."""

    output_field = FloatField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(julianday(%(expressions)s))", arg_joiner=") - julianday(",
                           **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, arg_joiner=" - ",
                           template="(extract(epoch FROM %(expressions)s) / 86400.0)::double precision", **extra)


def elapsed_days(started: str, ended: str) -> ElapsedDays:
    """SQLite: julianday(ended) - julianday(started); PostgreSQL: epoch(ended - started) / 86400."""
    return ElapsedDays(F(ended), F(started))


def median_and_p90(rows: QuerySet, *, group: str, measure: Func) -> dict[str, dict]:
    """For each value of ``group`` among ``rows``: how many rows, their median and their 90th
    percentile of ``measure`` (nearest rank)."""
    ranked = rows.order_by().annotate(
        measure=measure,
        rank=Window(RowNumber(), partition_by=[F(group)], order_by=[measure.copy().asc(), F("pk").asc()]),
        size=Window(Count("pk"), partition_by=[F(group)]),
    )
    # ceil(n/2) = (n + 1) div 2 and ceil(9n/10) = (9n + 9) div 10, in the database's integers
    half = ExpressionWrapper((F("size") + Value(1)) / Value(2), output_field=IntegerField())
    ninety = ExpressionWrapper((F("size") * Value(9) + Value(9)) / Value(10), output_field=IntegerField())
    picked = (ranked.annotate(half=half, ninety=ninety)
              .filter(Q(rank=F("half")) | Q(rank=F("ninety")))
              .values(group, "size", "rank", "half", "ninety", "measure"))
    found: dict[str, dict] = {}
    for row in picked:
        entry = found.setdefault(row[group], {group: row[group], "cases": row["size"]})
        if row["rank"] == row["half"]:
            entry["median"] = row["measure"]
        if row["rank"] == row["ninety"]:
            entry["p90"] = row["measure"]
    return found

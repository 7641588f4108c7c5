"""A consistent snapshot of what the audit reads, exported from the database to Parquet.

All four tables are read inside one transaction (on PostgreSQL at REPEATABLE READ when the
export opens it, so every query sees the same moment; SQLite's read transaction gives the same), streamed a few thousand
rows at a time to CSV, and converted by DuckDB to typed Parquet: ``cases``, ``lines``,
``payments`` and ``prices`` in the folder given. Memory stays flat whatever the row count.
The paid cases of this system are appended to the first three in the same columns
(``audit.live``), read in the same transaction.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
from django.db import connection, transaction

from aftersales.audit.live import live_export

FETCH = 10_000

# name -> (query, DuckDB columns); booleans as 0/1 and empty text kept as text (not NULL).
EXPORTS = {
    "cases": ("SELECT id, case_number, region, product_line, model, manufactured_on, purchased_on, opened_on, part, "
              "exclusions, CASE WHEN quotation_rejected THEN 1 ELSE 0 END, currency FROM audit_historycase",
              "id BIGINT, case_number VARCHAR, region VARCHAR, product_line VARCHAR, model VARCHAR, manufactured_on DATE, "
              "purchased_on DATE, opened_on DATE, part VARCHAR, exclusions VARCHAR, quotation_rejected BOOLEAN, "
              "currency VARCHAR"),
    "lines": ("SELECT case_id, line_no, service, part, labour_charged, parts_charged, currency "
              "FROM audit_historyline",
              "case_id BIGINT, line_no INTEGER, service VARCHAR, part VARCHAR, labour_charged DECIMAL(12,2), "
              "parts_charged DECIMAL(12,2), currency VARCHAR"),
    "payments": ("SELECT case_id, amount, currency FROM audit_historypayment",
                 "case_id BIGINT, amount DECIMAL(12,2), currency VARCHAR"),
    "prices": ("SELECT id, part, product_line, model, region, price, currency, valid_from, valid_to "
               "FROM billing_partprice",
               "id BIGINT, part VARCHAR, product_line VARCHAR, model VARCHAR, region VARCHAR, price DECIMAL(12,2), "
               "currency VARCHAR, valid_from DATE, valid_to DATE"),
}
TEXT_COLUMNS = {"model", "part", "exclusions"}  # empty, never NULL


def _split(spec: str) -> list[tuple[str, str]]:
    out, depth, word = [], 0, ""
    for ch in spec + ",":
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            name, kind = word.strip().split(" ", 1)
            out.append((name, kind))
            word = ""
        else:
            word += ch
    return out


def _to_parquet(con: duckdb.DuckDBPyConnection, csv_path: Path, spec: str, out: Path) -> None:
    columns = _split(spec)
    types = "{" + ", ".join(f"'{n}': '{k}'" for n, k in columns) + "}"
    picked = ", ".join(f"coalesce({n}, '') AS {n}" if n in TEXT_COLUMNS else n for n, _ in columns)
    source = f"read_csv('{csv_path}', header = false, columns = {types})"
    if csv_path.stat().st_size == 0:  # no rows: nothing for DuckDB to sniff, so the typed empty table
        source = "(SELECT " + ", ".join(f"CAST(NULL AS {k}) AS {n}" for n, k in columns) + " WHERE false)"
    con.execute(f"COPY (SELECT {picked} FROM {source}) TO '{out}' (FORMAT parquet)")


def snapshot_export(*, folder: Path, progress=None) -> dict[str, Path]:
    """Write the four tables to ``folder`` as Parquet, the history's rows and then the paid live
    cases'; their paths by name."""
    folder.mkdir(parents=True, exist_ok=True)
    steps = len(EXPORTS) + 1
    outermost = not connection.in_atomic_block  # else the caller's transaction sets the isolation
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for n, (name, (query, _spec)) in enumerate(EXPORTS.items(), 1):
            with connection.cursor() as cur, open(folder / f"{name}.csv", "w", newline="") as f:
                cur.execute(query)
                writer = csv.writer(f)
                while batch := cur.fetchmany(FETCH):
                    writer.writerows(batch)
            if progress is not None:
                progress(n, steps)
        live_export(folder)
    con, paths = duckdb.connect(), {}
    for name, (_query, spec) in EXPORTS.items():
        raw, paths[name] = folder / f"{name}.csv", folder / f"{name}.parquet"
        _to_parquet(con, raw, spec, paths[name])
        raw.unlink()
    con.close()
    if progress is not None:
        progress(steps, steps)
    return paths

"""A consistent snapshot of what the audit reads, exported from the database to Parquet.

Two tables are read inside one transaction (on PostgreSQL at REPEATABLE READ when the export opens
it, so every query sees the same moment; SQLite's read transaction gives the same), streamed a
few thousand rows at a time to CSV, and converted by DuckDB to typed Parquet in the folder given:
``cases``, one row per paid case (a payment above zero: SPEC §6 re-prices every paid case)
carrying its charged lines and its payments as nested lists, and ``prices``. The database itself
gathers each case's lines and payments into one text each (SQLite's ``group_concat``,
PostgreSQL's ``string_agg``), so Python handles one row per case and DuckDB splits the texts into
the nested columns; the job then reads a case's lines beside it, with no join and no grouping by
case. Memory stays flat whatever the row count. The paid
cases of this system are appended to ``cases`` in the same columns (``audit.live``), read in the
same transaction.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
from django.db import connection, transaction

from aftersales.audit.live import live_cases

FETCH = 10_000

# A case's lines and payments as text, per database: (lines, payments), each a subquery on c. A
# line's fields are joined by the unit separator (character 31) and lines by the record separator
# (30), characters no code of the vocabulary nor any amount holds; CSV then needs no quoting,
# and DuckDB splits them (``UNPACK``). No lines or no payments give NULL.
UNIT, RECORD = 31, 30
_SQLITE_LINE = f" || char({UNIT}) || ".join(("l.line_no", "l.service", "coalesce(l.part, '')", "l.labour_charged",
                                              "l.parts_charged"))
_PG_LINE = f"concat_ws(chr({UNIT}), l.line_no, l.service, coalesce(l.part, ''), l.labour_charged, l.parts_charged)"
NESTED = {
    "sqlite": (f"(SELECT group_concat({_SQLITE_LINE}, char({RECORD})) FROM audit_historyline l WHERE l.case_id = c.id)",
               f"(SELECT group_concat(p.amount, char({RECORD})) FROM audit_historypayment p WHERE p.case_id = c.id)"),
    "postgresql": (f"(SELECT string_agg({_PG_LINE}, chr({RECORD})) FROM audit_historyline l WHERE l.case_id = c.id)",
                   f"(SELECT string_agg(p.amount::text, chr({RECORD})) FROM audit_historypayment p "
                   "WHERE p.case_id = c.id)"),
}
UNPACK = {
    "lines": f"""coalesce(list_transform(list_transform(string_split(lines, chr({RECORD})),
                 lambda x: string_split(x, chr({UNIT}))),
               lambda f: {{'line_no': CAST(f[1] AS INTEGER), 'service': f[2], 'part': f[3],
                          'labour_charged': CAST(f[4] AS DECIMAL(12,2)),
                          'parts_charged': CAST(f[5] AS DECIMAL(12,2))}}),
               [])""",
    "payments": f"""coalesce(list_transform(string_split(payments, chr({RECORD})),
                  lambda x: CAST(x AS DECIMAL(12,2))), [])""",
}
CASES = ("SELECT c.id, c.case_number, c.region, c.product_line, c.model, c.manufactured_on, c.purchased_on, "
         "c.opened_on, c.part, c.exclusions, CASE WHEN c.quotation_rejected THEN 1 ELSE 0 END, c.currency, {lines}, "
         "{payments} FROM audit_historycase c "
         # the paid cases: one charged and never paid cost the customer nothing to pay back
         "WHERE EXISTS (SELECT 1 FROM audit_historypayment p WHERE p.case_id = c.id AND p.amount > 0)")
# name -> (query, DuckDB columns); booleans as 0/1 and empty text kept as text (not NULL).
EXPORTS = {
    "cases": (CASES,
              "id BIGINT, case_number VARCHAR, region VARCHAR, product_line VARCHAR, model VARCHAR, manufactured_on DATE, "
              "purchased_on DATE, opened_on DATE, part VARCHAR, exclusions VARCHAR, quotation_rejected BOOLEAN, "
              "currency VARCHAR, lines STRUCT(line_no INTEGER, service VARCHAR, part VARCHAR, "
              "labour_charged DECIMAL(12,2), parts_charged DECIMAL(12,2))[], payments DECIMAL(12,2)[]"),
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


def _packed(lines: list[tuple], paid: list) -> tuple[str | None, str | None]:
    """A live case's lines and payments as the database gives the history's (``NESTED``)."""
    text = chr(RECORD).join(chr(UNIT).join(str(field) for field in line) for line in lines)
    return text or None, chr(RECORD).join(str(amount) for amount in paid) or None


def live_export(folder: Path) -> int:
    """Append the paid live cases to ``cases.csv`` in ``folder``; how many were written."""
    written = 0
    with open(folder / "cases.csv", "a", newline="") as f:
        writer = csv.writer(f)
        for row, lines, paid in live_cases():
            writer.writerow((*row, *_packed(lines, paid)))
            written += 1
    return written


def _picked(name: str, kind: str) -> str:
    if name in UNPACK:
        return f"CAST({UNPACK[name]} AS {kind}) AS {name}"
    return f"coalesce({name}, '') AS {name}" if name in TEXT_COLUMNS else name


def _to_parquet(con: duckdb.DuckDBPyConnection, csv_path: Path, spec: str, out: Path) -> None:
    columns = _split(spec)
    types = "{" + ", ".join(f"'{n}': '{'VARCHAR' if k.endswith('[]') else k}'" for n, k in columns) + "}"
    picked = ", ".join(_picked(n, k) for n, k in columns)
    source = f"read_csv('{csv_path}', header = false, columns = {types})"
    if csv_path.stat().st_size == 0:  # no rows: nothing for DuckDB to sniff, so the typed empty table
        source = "(SELECT " + ", ".join(f"CAST(NULL AS {k}) AS {n}" for n, k in columns) + " WHERE false)"
    con.execute(f"COPY (SELECT {picked} FROM {source}) TO '{out}' (FORMAT parquet)")


def snapshot_export(*, folder: Path, progress=None) -> dict[str, Path]:
    """Write the two tables to ``folder`` as Parquet, the history's rows and then the paid live
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
                lines, payments = NESTED["postgresql" if connection.vendor == "postgresql" else "sqlite"]
                cur.execute(query.format(lines=lines, payments=payments))
                writer = csv.writer(f)
                while batch := cur.fetchmany(FETCH):
                    writer.writerows(batch)
            if progress is not None:
                progress(n, steps)
        live_export(folder)
    con, paths = duckdb.connect(), {}
    con.execute("SET enable_progress_bar = false")  # it would draw on standard output
    for name, (_query, spec) in EXPORTS.items():
        raw, paths[name] = folder / f"{name}.csv", folder / f"{name}.parquet"
        _to_parquet(con, raw, spec, paths[name])
        raw.unlink()
    con.close()
    if progress is not None:
        progress(steps, steps)
    return paths

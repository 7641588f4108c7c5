"""Running the overcharge audit: snapshot the history to Parquet, re-price it all in one
columnar job, write the findings as JSONL (one line per overcharge; docs/history.md) or hand
them, a batch at a time, to the caller that keeps them (``audit.runs``).

DuckDB runs on the machine's cores within a memory limit and spills to the snapshot folder past
it, so the job's memory stays bounded however many cases there are.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import duckdb

from aftersales.audit import columnar
from aftersales.audit.snapshot import snapshot_export
from aftersales.warranty.rules.engine import PackSet

MEMORY_LIMIT = "2GB"
STEPS = 5  # the snapshot's three (two tables, then the live cases), the re-pricing, the findings
BATCH = 5000
# The findings as kept: where each came from (live cases have negative ids), the line (0 for the
# whole case), amounts as decimals, the evidence as JSON text.
FOUND = """
SELECT CASE WHEN case_id < 0 THEN 'live' ELSE 'history' END, case_number, coalesce(line_no, 0), rule,
       CAST(charged AS DECIMAL(18,2)), CAST(due AS DECIMAL(18,2)), CAST(charged - due AS DECIMAL(18,2)),
       currency, CAST(evidence AS VARCHAR)
FROM findings
ORDER BY case_number, line_no NULLS LAST, rule
"""


@dataclass(frozen=True, slots=True)
class Audited:
    cases: int
    findings: int
    by_rule: dict[str, int]
    unpriced: dict[str, int]  # refusal code -> cases the rules could not price


def connect(folder: Path, paths: dict[str, Path]) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the snapshot's tables as views. DuckDB's own progress bar is off: it
    writes to standard output, where the findings go when no file is named."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = '{folder / 'spill'}'")
    for name, path in paths.items():
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
    return con


def found_batches(con: duckdb.DuckDBPyConnection) -> Iterator[list[tuple]]:
    """The findings (after ``columnar.run``) in the columns of ``FOUND``, ``BATCH`` at a time."""
    cursor = con.execute(FOUND)
    while batch := cursor.fetchmany(BATCH):
        yield batch


def overcharges_audit(*, packs: PackSet, output: str | None = None,
                      keep: Callable[[Iterator[list[tuple]]], None] | None = None, progress=None) -> Audited:
    """Audit every imported case and every paid live case; the findings go to ``output`` (a file
    path, checked writable before anything is read: ``OSError`` otherwise) and to ``keep``."""
    if output is not None:
        open(output, "wb").close()
    with tempfile.TemporaryDirectory(prefix="audit-") as tmp:
        folder = Path(tmp)
        paths = snapshot_export(folder=folder, progress=(lambda n, t: progress(n, STEPS)) if progress else None)
        con = connect(folder, paths)
        try:
            columnar.run(con, packs)
            if progress:
                progress(STEPS - 1, STEPS)
            if output is not None:
                columnar.write_jsonl(con, output)
            if keep is not None:
                keep(found_batches(con))
            by_rule = dict(con.execute("SELECT rule, count(*) FROM findings GROUP BY 1 ORDER BY 1").fetchall())
            cases = con.execute("SELECT count(*) FROM cases").fetchone()[0]
            unpriced = columnar.unpriced(con)
        finally:
            con.close()
    if progress:
        progress(STEPS, STEPS)
    return Audited(cases, sum(by_rule.values()), by_rule, unpriced)

"""Running the overcharge audit: snapshot the history to Parquet, re-price it all in one
columnar job, write the findings as JSONL (one line per overcharge; docs/history.md).

DuckDB runs on the machine's cores within a memory limit and spills to the snapshot folder past
it, so the job's memory stays bounded however many cases there are.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from aftersales.audit import columnar
from aftersales.audit.snapshot import snapshot_export
from aftersales.warranty.rules.engine import PackSet

MEMORY_LIMIT = "2GB"


@dataclass(frozen=True, slots=True)
class Audited:
    cases: int
    findings: int
    by_rule: dict[str, int]
    unpriced: dict[str, int]  # refusal code -> cases the rules could not price


def connect(folder: Path, paths: dict[str, Path]) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the snapshot's tables as views."""
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = '{folder / 'spill'}'")
    for name, path in paths.items():
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
    return con


def overcharges_audit(*, packs: PackSet, output: str, progress=None) -> Audited:
    """Audit every imported case; the findings go to ``output`` (a file path, checked writable
    before anything is read: ``OSError`` otherwise)."""
    open(output, "wb").close()
    with tempfile.TemporaryDirectory(prefix="audit-") as tmp:
        folder = Path(tmp)
        paths = snapshot_export(folder=folder, progress=(lambda n, t: progress(n, t + 1)) if progress else None)
        con = connect(folder, paths)
        try:
            columnar.run(con, packs)
            columnar.write_jsonl(con, output)
            by_rule = dict(con.execute("SELECT rule, count(*) FROM findings GROUP BY 1 ORDER BY 1").fetchall())
            cases = con.execute("SELECT count(*) FROM cases").fetchone()[0]
            unpriced = columnar.unpriced(con)
        finally:
            con.close()
    if progress:
        progress(5, 5)
    return Audited(cases, sum(by_rule.values()), by_rule, unpriced)

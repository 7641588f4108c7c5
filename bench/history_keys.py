"""Benchmark: finding the keys a history file repeats, before its rows are imported.

    uv run python bench/history_keys.py --cases 10000000

``import-history`` refuses a row whose key (case number; case and line number) an earlier row
of the same file holds. It asks DuckDB for the keys held by more than one row first, and
remembers those alone (``audit/history.py``), so its memory does not grow with the file. This
bench writes a cases file of N case numbers and a lines file of 1.4 N lines (one case in 2,500
given twice, so there is something to find), then runs that step on each in a process of its own
and prints its wall and CPU time and the process's peak resident memory. The grouping's memory is
capped (``audit/tables.py``: ``QUERY_MEMORY``), so the peak should stay near the cap plus the
process's own, whatever N.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STEP = """
import os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")
django.setup()
from aftersales.audit.history import _repeated_keys
from aftersales.audit.rules import rows
from aftersales.audit.tables import Table
kind, path = sys.argv[1], sys.argv[2]
table = Table(path, {"cases": ("case_number",), "lines": rows.LINE_COLUMNS}[kind])
print(len(_repeated_keys(table, kind)))
"""


def write(tmp: Path, n: int) -> tuple[Path, Path, int, int]:
    import duckdb

    cases, lines = tmp / "cases.csv", tmp / "lines.csv"
    number = "'R' || lpad(CAST({} AS VARCHAR), 11, '0')"
    # every 2,500th case number is written twice; every 2,500th line too
    duckdb.sql(f"COPY (SELECT {number.format('i - CAST(i % 2500 = 1 AS INTEGER)')} AS case_number "
               f"FROM range({n}) r(i)) TO '{cases}' (HEADER)")
    duckdb.sql(f"COPY (SELECT {number.format('(i - CAST(i % 2500 = 1 AS INTEGER)) * 10 // 14')} AS case_number, "
               f"CAST((i - CAST(i % 2500 = 1 AS INTEGER)) % 2 + 1 AS VARCHAR) AS line_no, 'part-replacement' AS service, "
               f"'psu' AS part, '50.00' AS labour_charged, '350.00' AS parts_charged, 'CNY' AS currency "
               f"FROM range({n * 14 // 10}) r(i)) TO '{lines}' (HEADER)")
    return cases, lines, len(range(1, n, 2500)), len(range(1, n * 14 // 10, 2500))


def measure(kind: str, path: Path) -> tuple[float, float, int, int]:
    env = os.environ | {"DEBUG": "1", "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", STEP, kind, str(path)], env=env, cwd=ROOT, stdout=subprocess.PIPE)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"the {kind} step failed")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, int(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=1_000_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="history-keys-") as tmp:
        cases, lines, planted_cases, planted_lines = write(Path(tmp), args.cases)
        for kind, path, planted in (("cases", cases, planted_cases), ("lines", lines, planted_lines)):
            wall, cpu, peak, found = measure(kind, path)
            print(f"{kind}: {path.stat().st_size / 1e6:,.0f} MB, {wall:.1f} s, {cpu:.1f} CPU s, peak memory "
                  f"{peak} MB; repeated keys {found} (planted {planted}, found exactly: {found == planted})")


if __name__ == "__main__":
    main()

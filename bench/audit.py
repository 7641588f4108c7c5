"""Benchmark: the overcharge audit over N generated historical cases, against a bare scan.

    uv run python bench/audit.py --cases 50000 --share 0.05

Steps: make a scratch database (migrate, load the shipped packs); generate N cases of desktops
made since mid-2019, each one of a few correctly charged shapes or, for ``--share`` of them, one
planted overcharge of a rule chosen at random (the planted findings are known by construction:
fees and list prices are written here, not asked of the product); import them and the price
list with the commands; then
1. ``aftersales audit-overcharges --output F`` as a separate process: its wall time and peak
   resident memory; its findings must be exactly the planted ones;
2. in this process, on a Parquet snapshot of the same tables (one row per case, its lines and
   payments nested in it, and the price list): the columnar job alone, and a bare scan with the
   same engine (DuckDB) reading every column the job reads and summing them.
With ``--parquet-only`` the import and the audit command are skipped: the snapshot is made
with DuckDB straight from the generated CSV (for sizes whose import would take hours).
Prints cases per second of both runs (medians of ``--rounds``, wall and CPU time: CPU time is less
bent by other work on a shared machine), the ratio columnar job / bare scan, and peak memory.
Targets (docs/PERFORMANCE.md): 10M cases, ratio >= 0.3, peak memory < 4 GB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import CLI, scratch_database  # noqa: E402

LINES = ("home-desktop", "rog-desktop")  # 36 months for these parts when made after 2019-06-01
PARTS = ("psu", "mainboard", "cpu", "memory")
SPLIT = dt.date(2022, 1, 1)
LIST = {(part, line): (100 + 40 * i + 10 * j, 120 + 40 * i + 10 * j)
        for i, part in enumerate(PARTS) for j, line in enumerate(LINES)}  # before / from SPLIT
RULES = ("charged-under-warranty", "charged-after-rejection", "inspection-fee-above-cap", "labour-above-schedule",
         "parts-above-list", "paid-more-than-charged")


def _case(rng: random.Random, n: int, planted: str | None):
    """One case's rows, and the findings planted in it as (case, line_no, rule)."""
    number, line, part = f"H{n:09d}", rng.choice(LINES), rng.choice(PARTS)
    made = dt.date(2019, 7, 1) + dt.timedelta(days=rng.randrange(0, 900))
    bought = made + dt.timedelta(days=rng.randrange(5, 60))
    covered = planted == "charged-under-warranty" or (planted is None and rng.random() < 0.4)
    opened = bought + dt.timedelta(days=rng.randrange(0, 1000) if covered else rng.randrange(1200, 1700))
    rejected = planted in ("charged-after-rejection", "inspection-fee-above-cap") or (
        planted is None and not covered and rng.random() < 0.2)
    listed = LIST[(part, line)][opened >= SPLIT]
    if rejected:
        lines = [("disassembly-diagnosis", "", 150 if planted == "inspection-fee-above-cap" else 100, 0)]
        if planted == "charged-after-rejection":
            lines.append(("deep-cleaning", "", 199, 0))
    elif covered:
        lines = [("part-replacement", part, *((50, listed) if planted else (0, 0))), ("deep-cleaning", "", 199, 0)]
    else:
        labour = 80 if planted == "labour-above-schedule" else 50
        lines = [("part-replacement", part, labour, listed + (30 if planted == "parts-above-list" else 0))]
    total = sum(labour + parts for _, _, labour, parts in lines)
    paid = total + (10 if planted == "paid-more-than-charged" else 0)
    case = (number, "CN", "Centre", line, "M1", f"S{n}", made, bought, opened, opened + dt.timedelta(days=7), part,
            "", "true" if rejected else "false", "CNY")
    found = set()
    if planted:
        line_no = {"paid-more-than-charged": None, "charged-after-rejection": 2}.get(planted, 1)
        found.add((number, line_no, planted))
    return case, [(number, i, *ln) for i, ln in enumerate(lines, 1)], (number, opened, paid, f"R{n}"), found


def generate(folder: Path, n: int, share: float, seed: int) -> set:
    rng, expected = random.Random(seed), set()
    with open(folder / "cases.csv", "w") as c, open(folder / "lines.csv", "w") as ln, open(folder / "pay.csv", "w") as p:
        c.write("case_number,region,centre,product_line,model,serial,manufactured_on,purchased_on,opened_on,"
                "closed_on,part,exclusions,quotation_rejected,currency\n")
        ln.write("case_number,line_no,service,part,labour_charged,parts_charged,currency\n")
        p.write("case_number,paid_on,amount,currency,reference\n")
        for i in range(n):
            planted = rng.choice(RULES) if rng.random() < share else None
            case, lines, pay, found = _case(rng, i, planted)
            expected |= found
            c.write(",".join(map(str, case)) + "\n")
            ln.writelines(f"{a},{b},{s},{pt},{lab}.00,{par}.00,CNY\n" for a, b, s, pt, lab, par in lines)
            p.write(f"{pay[0]},{pay[1]},{pay[2]}.00,CNY,{pay[3]}\n")
    with open(folder / "prices.csv", "w") as f:
        f.write("part,product_line,region,currency,price,effective_from\n")
        for (part, line), (before, after) in LIST.items():
            f.write(f"{part},{line},CN,CNY,{before}.00,2015-01-01\n{part},{line},CN,CNY,{after}.00,{SPLIT}\n")
    return expected


def timed_process(cmd: list[str], env: dict) -> tuple[float, int, float]:
    """Wall seconds, peak resident memory (KiB) and CPU seconds of one command run as its own
    process (CPU time, which other work on a shared machine hardly changes)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd[2:4])} failed with {proc.returncode}")
    return time.perf_counter() - start, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def _timed(step) -> tuple[float, float]:
    """Wall and CPU seconds of ``step()`` in this process (CPU of all its threads: DuckDB's too)."""
    wall, cpu = time.perf_counter(), time.process_time()
    step()
    return time.perf_counter() - wall, time.process_time() - cpu


def snapshot_from_csv(tmp: Path) -> dict[str, Path]:
    """The snapshot's two Parquet files made by DuckDB straight from the generated CSV, as the
    import and the export would leave them (case ids in file order, each case's lines and payments
    nested in its row, each price row valid to the day before the next one for its part), for
    sizes where the import would take hours."""
    import duckdb

    folder, con = tmp / "snap", duckdb.connect()
    folder.mkdir()
    # capped as the job is (audit/job.py), so that the peak this bench prints is the job's
    con.execute("SET memory_limit = '2GB'")
    con.execute(f"SET temp_directory = '{folder / 'spill'}'")
    queries = {
        "cases": f"""
            WITH ids AS (SELECT row_number() OVER () AS id, case_number FROM read_csv('{tmp}/cases.csv')),
            l AS (SELECT case_number, list({{'line_no': CAST(line_no AS INTEGER), 'service': service,
                    'part': coalesce(part, ''), 'labour_charged': CAST(labour_charged AS DECIMAL(12,2)),
                    'parts_charged': CAST(parts_charged AS DECIMAL(12,2))}}) AS lines
                  FROM read_csv('{tmp}/lines.csv') GROUP BY case_number),
            p AS (SELECT case_number, list(CAST(amount AS DECIMAL(12,2))) AS payments
                  FROM read_csv('{tmp}/pay.csv') GROUP BY case_number)
            SELECT ids.id, c.case_number, region, product_line, model, manufactured_on, purchased_on, opened_on,
                   coalesce(part, '') AS part, coalesce(exclusions, '') AS exclusions, quotation_rejected, currency,
                   coalesce(l.lines, []) AS lines, coalesce(p.payments, []) AS payments
            FROM read_csv('{tmp}/cases.csv') c JOIN ids USING (case_number) LEFT JOIN l USING (case_number)
            LEFT JOIN p USING (case_number) WHERE list_max(p.payments) > 0 ORDER BY ids.id""",
        "prices": f"SELECT row_number() OVER () AS id, part, product_line, '' AS model, region, "
                  f"CAST(price AS DECIMAL(12,2)) AS price, currency, effective_from AS valid_from, "
                  f"lead(effective_from) OVER (PARTITION BY part, product_line, region ORDER BY effective_from) - 1 "
                  f"AS valid_to FROM read_csv('{tmp}/prices.csv')"}
    for name, query in queries.items():
        con.execute(f"COPY ({query}) TO '{folder / name}.parquet' (FORMAT parquet)")
    con.close()
    return {name: folder / f"{name}.parquet" for name in queries}


def in_process(tmp: Path, rounds: int, *, from_csv: bool) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) seconds of the snapshot, and per round of the bare scan and of the columnar job,
    on one Parquet snapshot (exported from the database, or ``from_csv``)."""
    import django

    django.setup()
    from aftersales.audit import columnar
    from aftersales.audit.job import connect
    from aftersales.audit.snapshot import snapshot_export
    from aftersales.warranty.packs import packs_in_force

    paths = {}
    export = (lambda: paths.update(snapshot_from_csv(tmp))) if from_csv else (
        lambda: paths.update(snapshot_export(folder=tmp / "snap")))
    times = {"snapshot": [_timed(export)], "bare": [], "job": []}
    con = connect(tmp / "snap", paths)
    packs = packs_in_force()

    def bare():  # every column the job reads, each read once and summed (or its largest value taken)
        con.execute("SELECT count(*), sum(id), max(case_number), max(region), max(product_line), max(model), "
                    "min(manufactured_on), count(purchased_on), max(opened_on), max(part), max(exclusions), "
                    "bool_or(quotation_rejected), max(currency), sum(list_sum(payments)) FROM cases").fetchall()
        con.execute("SELECT count(*), max(l.line_no), max(l.service), max(l.part), sum(l.labour_charged), "
                    "sum(l.parts_charged) FROM (SELECT unnest(lines) AS l FROM cases)").fetchall()
        con.execute("SELECT count(*), max(part), max(product_line), max(model), max(region), sum(price), "
                    "max(currency), min(valid_from), max(valid_to) FROM prices").fetchall()

    def job():
        columnar.run(con, packs)
        columnar.write_jsonl(con, str(tmp / "inproc.jsonl"))

    for _ in range(rounds):
        times["bare"].append(_timed(bare))
        times["job"].append(_timed(job))
    return times


def command(tmp: Path, env: dict, cli: list[str], n: int) -> None:
    """Import the generated history and run ``audit-overcharges`` as its own process; prints times."""
    imported, import_kb, import_cpu = timed_process([*cli, "import-history", "--cases", str(tmp / "cases.csv"), "--lines",
                                             str(tmp / "lines.csv"), "--payments", str(tmp / "pay.csv"),
                                             "--no-progress"], env)
    timed_process([*cli, "import-prices", str(tmp / "prices.csv")], env)
    audited, peak_kb, audit_cpu = timed_process([*cli, "audit-overcharges", "--output", str(tmp / "findings.jsonl"),
                                                 "--no-progress"], env)
    print(f"import-history: {imported:.1f} s, {import_cpu:.1f} CPU s ({n / imported:,.0f} cases/s), "
          f"peak memory {import_kb / 1024:.0f} MB")
    print(f"audit-overcharges (snapshot + job + start-up): {audited:.2f} s, {audit_cpu:.1f} CPU s "
          f"({n / audited:,.0f} cases/s), peak memory {peak_kb / 1024:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=50_000)
    ap.add_argument("--share", type=float, default=0.05, help="share of cases with a planted overcharge")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=3, help="rounds of the bare scan and the job (medians printed)")
    ap.add_argument("--parquet-only", action="store_true",
                    help="skip the import and the audit command: the snapshot made from the generated CSV")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp:
        tmp = Path(tmp)
        env, cli = scratch_database(tmp), CLI
        os.environ.update(env)
        expected = generate(tmp, args.cases, args.share, args.seed)
        if not args.parquet_only:
            command(tmp, env, cli, args.cases)
        times = in_process(tmp, args.rounds, from_csv=args.parquet_only)
        out = tmp / ("inproc.jsonl" if args.parquet_only else "findings.jsonl")
        found = {(f["case_number"], f["line_no"], f["rule"]) for f in map(json.loads, out.read_text().splitlines())}
        n = args.cases
        (snap, snap_cpu), = times["snapshot"]
        bare, bare_cpu = (statistics.median(t[i] for t in times["bare"]) for i in (0, 1))
        job, job_cpu = (statistics.median(t[i] for t in times["job"]) for i in (0, 1))
        print(f"cases: {n}, planted findings: {len(expected)}, found: {len(found)}, exactly the planted: "
              f"{found == expected}")
        print(f"snapshot to Parquet (in process{', from the CSV' if args.parquet_only else ''}): {snap:.1f} s, "
              f"{snap_cpu:.1f} CPU s")
        print(f"medians of {args.rounds} rounds: columnar job alone {job:.3f} s, {job_cpu:.3f} CPU s "
              f"({n / job:,.0f} cases/s, {n / job_cpu:,.0f} cases per CPU second); bare scan {bare:.3f} s, "
              f"{bare_cpu:.3f} CPU s ({n / bare:,.0f} cases/s)")
        print(f"ratio job/bare rate: {bare / job:.3f} wall, {bare_cpu / job_cpu:.3f} CPU; peak memory of this "
              f"process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; load average "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        if found != expected:
            missing, extra = sorted(expected - found)[:5], sorted(found - expected)[:5]
            raise SystemExit(f"not exactly the planted findings: missing {missing}, extra {extra}")


if __name__ == "__main__":
    main()

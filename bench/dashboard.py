"""Benchmark: the dashboard's charts over many cases.

    uv run python bench/dashboard.py                       # SQLite, in a temporary file
    uv run python bench/dashboard.py --postgres            # a throwaway PostgreSQL (scripts/postgres.sh)
    uv run python bench/dashboard.py --cases 1000000

Writes ``--cases`` repair cases over three years at six centres with set-based SQL (their
statuses by age: nine in ten older than a month returned, the rest cancelled; newer ones spread
over the working statuses; a returned case took 1 to 25 days), and a damage proposal on one case
in fifty, a third of them awaiting a decision; then ``ANALYZE``. Then, ``--rounds`` times,
reads each chart's rows (``aftersales.dashboards.board.BOARD``) for every centre and for one, over
90 days and over all time, as the dashboard page does, and prints the median and the slowest
round of each, beside a bare count of the same period's cases (the cheapest question the
database can be asked about them) and the plan of the turnaround query.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.progress import say, step  # noqa: E402

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
WORKING = ("booked", "received", "diagnosing", "awaiting-customer", "repairing", "qa", "ready", "shipped",
           "in-storage")


def _series(vendor: str, cases: int) -> str:
    if vendor == "postgresql":
        return f"SELECT i, (i * 7919) % 1000003 AS h FROM generate_series(0, {cases - 1}::bigint) AS i"
    return (f"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {cases - 1}) "
            "SELECT i, (i * 7919) % 1000003 AS h FROM n")


def _at(vendor: str, base: str, seconds: str) -> str:
    """``base`` (a timestamp) plus ``seconds`` (an integer expression), as each database writes it."""
    if vendor == "postgresql":
        return f"({base} + ({seconds}) * interval '1 second')"
    return f"strftime('%Y-%m-%d %H:%M:%S', {base}, ({seconds}) || ' seconds')"


def cases_sql(vendor: str, cases: int, centres: list[int], lines: list[str]) -> str:
    now = f"'{NOW:%Y-%m-%d %H:%M:%S}'" + ("::timestamptz" if vendor == "postgresql" else "")
    created = _at(vendor, now, "-(s.i % 1095) * 86400 - (s.h % 86400)")
    old = "(s.i % 1095) > 30"
    status = (f"CASE WHEN {old} THEN (CASE WHEN s.h % 10 < 9 THEN 'collected' ELSE 'cancelled' END) "
              f"ELSE (CASE s.h % {len(WORKING) + 1} "
              + " ".join(f"WHEN {k} THEN '{w}'" for k, w in enumerate(WORKING)) + " ELSE 'collected' END) END")
    took = "(86400 * (1 + (s.h % 5) * (s.h % 6)) + s.h % 43200)"  # 1 to 21 days and up to half a day
    centre = "CASE s.h % {} ".format(len(centres)) + " ".join(
        f"WHEN {k} THEN {pk}" for k, pk in enumerate(centres)) + " END"
    line = "CASE (s.h / 7) % {} ".format(len(lines)) + " ".join(
        f"WHEN {k} THEN '{ln}'" for k, ln in enumerate(lines)) + " END"
    number = "'B' || lpad(CAST(s.i AS text), 11, '0')" if vendor == "postgresql" else "'B' || printf('%011d', s.i)"
    true = "true" if vendor == "postgresql" else "1"
    return (
        "INSERT INTO repairs_case (number, kind, status, status_changed_at, centre_id, customer_name, email, phone, "
        "language, return_address, serial, model, product_line, operating_system, bios_version, preference, "
        "ack_data_loss, ack_passwords, ack_peripherals, created_at) "
        f"SELECT number, 'carry-in', status, CASE WHEN status = 'collected' THEN {_at(vendor, 'created', 'took')} "
        f"ELSE created END, centre, 'Bench', 'bench@example.com', '', 'en', '', 'SN' || number, 'M1', line, '', '', "
        f"'own-device', {true}, {true}, {true}, created FROM ("
        f"SELECT {number} AS number, {status} AS status, {created} AS created, {took} AS took, "
        f"{centre} AS centre, {line} AS line FROM ({_series(vendor, cases)}) AS s) AS c")


def damage_sql(vendor: str, user: int) -> str:
    decided = f"CASE WHEN id % 3 = 0 THEN NULL ELSE {_at(vendor, 'created_at', '3600')} END"
    return (
        "INSERT INTO repairs_damagedetermination (case_id, code, part, explanation, status, proposed_by_id, "
        "proposed_at, decided_by_id, decided_at, decision_note, considered_evidence) "
        "SELECT id, 'liquid-damage', '', 'Bench', CASE id % 3 WHEN 0 THEN 'proposed' WHEN 1 THEN 'confirmed' "
        f"ELSE 'rejected' END, {user}, created_at, CASE WHEN id % 3 = 0 THEN NULL ELSE {user} END, {decided}, '', "
        "'[]' FROM repairs_case WHERE id % 50 = 0")


def build(cases: int) -> None:
    from django.db import connection

    from aftersales.accounts.models import User
    from aftersales.centres.models import ServiceCentre
    from aftersales.policy.vocabulary import PRODUCT_LINES

    centres = [ServiceCentre.objects.create(code=f"c-{n}", name_en=f"Centre {n}", name_zh=f"中心 {n}", region="CN",
                                            city="Shanghai", timezone="Asia/Shanghai").pk for n in range(6)]
    user = User.objects.create(username="bench-staff").pk
    with connection.cursor() as cursor:
        cursor.execute(cases_sql(connection.vendor, cases, centres, list(PRODUCT_LINES)))
        cursor.execute(damage_sql(connection.vendor, user))
        # VACUUM too on PostgreSQL: its visibility map lets the index answer without the table.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def timed(work, rounds: int) -> tuple[float, float]:
    ms = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        work()
        ms.append((time.perf_counter() - t0) * 1000)
    return statistics.median(ms), max(ms)


def measure(rounds: int) -> None:

    from django.db.models import Count

    from aftersales.centres.models import ServiceCentre
    from aftersales.dashboards.board import BOARD, scope_of
    from aftersales.dashboards.measures import tenths_of_days
    from aftersales.repairs.models import Case

    one = frozenset({ServiceCentre.objects.order_by("code").first().pk})
    for period in ("90d", "all"):
        for centres, where in ((None, "every centre"), (one, "one centre")):
            scope = scope_of(centres=centres, period=period, now=NOW)
            bare = timed(lambda: Case.objects.filter(scope.where(centre="centre_id", at="created_at")).count(), rounds)
            say(f"{period}, {where}: bare count of the period's cases: median {bare[0]:.1f} ms, slowest {bare[1]:.1f}")
            for chart in BOARD:
                rows = chart.rows(scope)
                median, slowest = timed(lambda: chart.rows(scope), rounds)
                say(f"  {chart.slug}: {len(rows)} rows, median {median:.1f} ms, slowest {slowest:.1f} ms "
                    f"({median / max(bare[0], 0.01):.1f}× the bare count)")
    since = NOW - dt.timedelta(days=90)
    histogram = (Case.objects.filter(status="collected", status_changed_at__gte=since).order_by()
                 .values("product_line", tenths=tenths_of_days("created_at", "status_changed_at"))
                 .annotate(n=Count("pk")))
    say("plan of the turnaround's query over 90 days:\n" + histogram.explain())


def run(args) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    with step("migrate"):
        call_command("migrate", verbosity=0)
    with step(f"{args.cases:,} cases, a damage proposal on one in fifty, then ANALYZE"):
        build(args.cases)
    measure(args.rounds)
    say(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=200_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--postgres", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="aftersales-dashboard.", dir="/tmp"))
    pg_dir = None
    if args.postgres:
        pg_dir = Path(tempfile.mkdtemp(prefix="aftersales-pg.", dir="/tmp"))
        url = subprocess.run([str(ROOT / "scripts" / "postgres.sh"), "start", str(pg_dir)], check=True,
                             stdout=subprocess.PIPE, text=True).stdout.strip()
    else:
        url = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="aftersales.settings", DEBUG="0")
    os.environ.setdefault("SECRET_KEY", "bench-" + os.urandom(16).hex())
    try:
        run(args)
    finally:
        if pg_dir is not None:
            subprocess.run([str(ROOT / "scripts" / "postgres.sh"), "stop", str(pg_dir)], check=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

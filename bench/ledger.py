"""Benchmark: the ledger on PostgreSQL — transfers through the service against a bare INSERT of
the same rows, then balance reads.

    uv run python bench/ledger.py                    # 1,000,000 transfers
    uv run python bench/ledger.py --fill 1000000 --count 100000   # 1M on the books first, then the rounds
    uv run python bench/ledger.py --count 20000      # a quick check that it runs

Starts a throwaway PostgreSQL (scripts/postgres.sh), migrates it, and writes ``--count``
transfers of the kinds the product makes — charges owed by customers (labour, parts, storage,
trips), payments at the counter, deposits collected and refunded — five to a case number, in
three currencies. They are written in chunks; each chunk twice, one transfer a transaction:

- through ``ledger.services.transfer_post`` (the idempotency look-ups, the two accounts locked in
  id order, the row written, the two accounts' kept balances updated), and
- as a bare ``INSERT`` of the same row (under another key) into the same table, with the same
  triggers and indexes, one statement a transaction — the floor the service is measured against.

``--fill N`` first puts N transfers of the same kinds on the books in one set-based statement (the
same table, its triggers and indexes; the accounts' kept figures moved by the same amounts in one
statement), so the rounds and the reads run against a table of that size without the hours a
million transfers take one transaction at a time; after the reads the bench checks that every
account's kept figures still equal the sums of its history.

Interleaving the chunks keeps the two measured against a table of the same size, and makes each
chunk a round: prints the medians over rounds of both rates and of their ratio (the machine may be
shared), then the p50 and p99 of ``--reads`` balance reads
(``ledger.selectors.balance``, target under 10 ms at the p99), of the same row read bare (the
floor a loaded machine sets) and of the case-money read
(``billing.case_money``, the figures of one case from its transfers).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.progress import say, step  # noqa: E402

BALANCE_TARGET_MS = 10.0
NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
# (debit, credit) of the transfers written, in the proportions the product makes them
FLOWS = [("receivable", "revenue-labour"), ("receivable", "revenue-parts"), ("receivable", "revenue-storage"),
         ("receivable", "revenue-trips"), ("provider-cash", "receivable"), ("provider-cash", "deposits-held"),
         ("deposits-held", "refunds-payable")]
CURRENCIES = ("CNY", "USD", "CAD")
INSERT = ("INSERT INTO ledger_transfer (key, fingerprint, kind, debit_id, credit_id, amount, currency, "
          "effective_on, recorded_at, reference, memo) VALUES (%s, %s, 'posted', %s, %s, %s, %s, %s, %s, %s, '')")

BARE_READ = ("SELECT debits_pending, debits_posted, credits_pending, credits_posted FROM ledger_account "
             "WHERE id = %s")


FILL = """
INSERT INTO ledger_transfer (key, fingerprint, kind, debit_id, credit_id, amount, currency, effective_on,
                             recorded_at, reference, memo)
SELECT 'fill:' || g, '-', 'posted', f.debit_id, f.credit_id, (100 + (g::bigint * 7919) %% 499900) / 100.0, f.currency,
       %(day)s, %(now)s, 'FILL' || lpad((g / 5)::text, 9, '0'), ''
FROM generate_series(0, %(count)s - 1) AS g
JOIN (SELECT * FROM jsonb_to_recordset(%(flows)s::jsonb) AS x(k int, debit_id int, credit_id int, currency text)) AS f
  ON f.k = (g %% 7) * 3 + (g / 5) %% 3
"""
FILL_FIGURES = """
UPDATE ledger_account AS a
SET debits_posted = a.debits_posted + coalesce(d.total, 0), credits_posted = a.credits_posted + coalesce(c.total, 0)
FROM ledger_account AS b
LEFT JOIN (SELECT debit_id, sum(amount) AS total FROM ledger_transfer WHERE key LIKE 'fill:%' GROUP BY debit_id) AS d
  ON d.debit_id = b.id
LEFT JOIN (SELECT credit_id, sum(amount) AS total FROM ledger_transfer WHERE key LIKE 'fill:%' GROUP BY credit_id) AS c
  ON c.credit_id = b.id
WHERE a.id = b.id
"""
KEPT_EQUALS_HISTORY = """  -- the bare rows moved no figures, by design
SELECT count(*) FROM ledger_account AS a
WHERE a.debits_posted <> (SELECT coalesce(sum(amount), 0) FROM ledger_transfer
                          WHERE debit_id = a.id AND kind IN ('posted', 'post') AND key NOT LIKE 'bare:%')
   OR a.credits_posted <> (SELECT coalesce(sum(amount), 0) FROM ledger_transfer
                           WHERE credit_id = a.id AND kind IN ('posted', 'post') AND key NOT LIKE 'bare:%')
"""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def rows(count: int, seed: int = 11):
    """The transfers to write: (n, debit, credit, amount, currency, reference), five to a case."""
    rng = random.Random(seed)
    for n in range(count):
        debit, credit = FLOWS[rng.randrange(len(FLOWS))]
        amount = Decimal(rng.randrange(100, 500_000)) / 100
        yield n, debit, credit, amount, CURRENCIES[n // 5 % 3], f"BENCH{n // 5:09d}"


def fill(count: int) -> None:
    """Puts ``count`` transfers on the books in one statement, the accounts' figures in another."""
    import json

    from django.db import connection, transaction

    from aftersales.ledger.services import account_for

    flows = [{"k": i * 3 + j, "debit_id": account_for(debit, currency).id,
              "credit_id": account_for(credit, currency).id, "currency": currency}
             for i, (debit, credit) in enumerate(FLOWS) for j, currency in enumerate(CURRENCIES)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(FILL, {"count": count, "flows": json.dumps(flows), "day": NOW.date(), "now": NOW})
        cursor.execute(FILL_FIGURES)
        cursor.execute("ANALYZE ledger_transfer")


def kept_equals_history() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(KEPT_EQUALS_HISTORY)
        return cursor.fetchone()[0] == 0


def through_service(chunk: list) -> float:
    from aftersales.ledger.services import transfer_post

    t0 = time.perf_counter()
    for n, debit, credit, amount, currency, reference in chunk:
        transfer_post(key=f"bench:{n}", debit=debit, credit=credit, amount=amount, currency=currency,
                      effective_on=NOW.date(), now=NOW, reference=reference)
    return time.perf_counter() - t0


def bare(chunk: list, accounts: dict) -> float:
    from django.db import connection

    t0 = time.perf_counter()
    with connection.cursor() as cursor:  # autocommit: one statement, one transaction
        for n, debit, credit, amount, currency, reference in chunk:
            cursor.execute(INSERT, [f"bare:{n}", "-", accounts[debit, currency], accounts[credit, currency], amount,
                                    currency, NOW.date(), NOW, f"BARE{reference}"])
    return time.perf_counter() - t0


def write(count: int, chunk_size: int) -> list[tuple[float, float]]:
    """Writes ``count`` transfers both ways, chunk by chunk; returns each chunk's (service
    seconds, bare seconds) per transfer."""
    from aftersales.ledger.services import account_for

    accounts = {(p, c): account_for(p, c).id for flow in FLOWS for p in flow for c in CURRENCIES}
    rounds: list[tuple[float, float]] = []
    chunk: list = []
    for row in rows(count):
        chunk.append(row)
        if len(chunk) == chunk_size or row[0] == count - 1:
            rounds.append((through_service(chunk) / len(chunk), bare(chunk, accounts) / len(chunk)))
            done = row[0] + 1
            if done % max(chunk_size, count // 20) < chunk_size or done == count:
                service, plain = rounds[-1]
                say(f"{done} transfers: this round service {1 / service:.0f}/s, bare INSERT {1 / plain:.0f}/s "
                    f"(ratio {plain / service:.2f}), load average {os.getloadavg()[0]:.1f}")
            chunk = []
    return rounds


def reads(count: int, reads_wanted: int) -> dict[str, list[float]]:
    from django.db import connection

    from aftersales.billing.case_money import case_money
    from aftersales.ledger.models import Account
    from aftersales.ledger.selectors import balance

    rng = random.Random(5)
    accounts = list(Account.objects.all())
    timings: dict[str, list[float]] = {"balance": [], "bare row": [], "case money": []}
    for _ in range(reads_wanted):
        account = rng.choice(accounts)
        t0 = time.perf_counter()
        balance(account)
        timings["balance"].append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        with connection.cursor() as cursor:  # the floor: one row by its key, no ORM
            cursor.execute(BARE_READ, [account.id])
            cursor.fetchone()
        timings["bare row"].append((time.perf_counter() - t0) * 1000)
        reference = f"BENCH{rng.randrange(max(1, count // 5)):09d}"
        t0 = time.perf_counter()
        case_money(reference)
        timings["case money"].append((time.perf_counter() - t0) * 1000)
    return timings


def run(args) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    with step("migrate"):
        call_command("migrate", verbosity=0)
    if args.fill:
        with step(f"{args.fill} transfers put on the books in one statement"):
            fill(args.fill)
    with step(f"{args.count} transfers through the service and as bare INSERTs, {args.chunk} at a time"):
        rounds = write(args.count, args.chunk)
    service_rate = 1 / statistics.median(service for service, _ in rounds)
    bare_rate = 1 / statistics.median(plain for _, plain in rounds)
    ratio = statistics.median(plain / service for service, plain in rounds)
    say(f"median of {len(rounds)} rounds: service {service_rate:.0f} transfers/s, bare INSERT {bare_rate:.0f} rows/s; "
        f"the service runs at {ratio:.2f} of the bare INSERT's rate ({1 / ratio:.1f}× its time)")
    with step(f"{args.reads} balance reads and case-money reads"):
        timings = reads(args.count, args.reads)
    for name, ms in timings.items():
        p99 = percentile(ms, 99)
        extra = (f" = {p99 / BALANCE_TARGET_MS:.2f} of the {BALANCE_TARGET_MS:.0f} ms target"
                 if name == "balance" else "")
        say(f"{name} read: median {statistics.median(ms):.2f} ms, p99 {p99:.2f} ms{extra}")
    from aftersales.ledger.models import Transfer

    say(f"{Transfer.objects.count()} transfers on the books; every account's kept figures equal its history: "
        f"{'yes' if kept_equals_history() else 'NO'}")
    say(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--chunk", type=int, default=5_000, help="transfers written each way in turn")
    ap.add_argument("--reads", type=int, default=2_000)
    ap.add_argument("--fill", type=int, default=0, help="transfers put on the books before the rounds")
    args = ap.parse_args()
    pg_dir = Path(tempfile.mkdtemp(prefix="aftersales-pg.", dir="/tmp"))  # postgres.sh hands it to postgres
    url = subprocess.run([str(ROOT / "scripts" / "postgres.sh"), "start", str(pg_dir)], check=True,
                         stdout=subprocess.PIPE, text=True).stdout.strip()
    os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="aftersales.settings", DEBUG="0")
    os.environ.setdefault("SECRET_KEY", "bench-" + os.urandom(16).hex())  # a checkout without var/secret_key
    try:
        run(args)
    finally:
        subprocess.run([str(ROOT / "scripts" / "postgres.sh"), "stop", str(pg_dir)], check=True)


if __name__ == "__main__":
    main()

"""A real background worker killed with SIGKILL in the middle of its work, again and again, then
restarted: every deposit is still refunded or charged exactly once, and the books balance.

The worker works on its own SQLite file (set up by the command line, as a deployment is). Some
orders' parts are back (their refunds are queued), others are past their deadline (their
deadline checks are due). Workers are started and killed at random moments; a task killed while
running is never taken again by django-tasks, which is why the daily ``csr-sweep`` exists: it
finishes what the killed tasks left, and the keys on every movement of money make sure nothing
the killed worker had committed is done twice.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ORDERS = 8

SETUP = f"""
import datetime as dt
from decimal import Decimal
from aftersales.billing.models import PartPrice
from aftersales.core import clock
from aftersales.core.testing import device_made, shipped_packs_loaded
from aftersales.csr.applications import order_apply
from aftersales.csr.conftest import APPLICATION, fault
from aftersales.csr.services import order_return_confirmed, order_return_scanned, order_ship
shipped_packs_loaded()
PartPrice.objects.create(part="ssd", product_line="notebook", region="US", price=Decimal("89.00"), currency="USD",
                         valid_from=dt.date(2024, 1, 1))
now = clock.now() - dt.timedelta(days=20)
with clock.frozen(now):
    for n in range({ORDERS}):
        serial = f"NK{{n:07d}}"
        device_made(serial, "notebook", (now - dt.timedelta(days=200)).date(), "US", model="UX3405MA")
        fault(serial, "ssd", at=now - dt.timedelta(hours=1))
        order = order_apply(**APPLICATION | {{"serial": serial, "request_key": f"form-{{serial}}",
                                             "purchased_on": (now - dt.timedelta(days=100)).date()}}, now=now)
        order_ship(number=order.number, tracking="1Z9", actor="staff1", now=now)
        if n % 2 == 0:
            order_return_scanned(number=order.number, now=now)
            order_return_confirmed(number=order.number, actor="staff1", now=now)
"""

CHECK = """
import json
from django.db.models import Count, Sum
from aftersales.csr.models import Order
from aftersales.ledger.models import Account, Kind, Transfer
from aftersales.payments.models import LocalEntry, Payment, Refund
rows = Account.objects.all()
out = {
    "statuses": sorted(Order.objects.values_list("status", flat=True)),
    "refunds": Refund.objects.count(), "provider_refunds": LocalEntry.objects.filter(kind="refund").count(),
    "refunded_twice": Payment.objects.filter(refunded__gt=0).exclude(refunded=89).count(),
    "holds_resolved_twice": Transfer.objects.filter(kind__in=["post", "void", "expire"]).values("pending")
        .annotate(n=Count("id")).filter(n__gt=1).count(),
    "balanced": all((rows.aggregate(t=Sum(f"debits_{s}"))["t"] or 0)
                    == (rows.aggregate(t=Sum(f"credits_{s}"))["t"] or 0) for s in ("pending", "posted")),
    "accounts": {a.purpose: str(a.credits_posted - a.debits_posted) for a in rows},
}
print(json.dumps(out))
"""


def command(env, *args, timeout=300) -> str:
    done = subprocess.run([sys.executable, "-m", "aftersales.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def worker(env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "aftersales.cli", "db_worker", "--no-startup-delay",
                             "--interval", "0.05"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def running_tasks(database: Path) -> set[str]:
    """The self-repair tasks a worker has claimed and not finished: they are running now."""
    with sqlite3.connect(database, timeout=5) as db:
        rows = db.execute("SELECT id FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING' "
                          "AND task_path LIKE 'aftersales.csr.%'").fetchall()
    return {row[0] for row in rows}


def kill_while_running(env, database: Path, seen: set[str]) -> bool:
    """Start a worker and kill it (SIGKILL) the moment it runs a task not seen running before;
    True when it was caught at that, False when it ran out of work first."""
    running = worker(env)
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline and running.poll() is None:
            if caught := running_tasks(database) - seen:
                seen |= caught
                return True
            time.sleep(0.002)
        return False
    finally:
        running.send_signal(signal.SIGKILL)
        running.wait(timeout=30)


def test_workers_killed_mid_run_and_restarted_refund_or_charge_each_deposit_exactly_once(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "AFTERSALES_VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "aftersales.settings_test", "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
           "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    command(env, "migrate", "--no-input")
    command(env, "shell", "-c", SETUP)
    seen: set[str] = set()
    kills = sum(kill_while_running(env, tmp_path / "db.sqlite3", seen) for _ in range(3))
    assert kills >= 1  # at least one worker died in the middle of a task
    final = subprocess.run([sys.executable, "-m", "aftersales.cli", "db_worker", "--no-startup-delay", "--batch"],
                           cwd=ROOT, env=env, capture_output=True, timeout=300)
    assert final.returncode == 0
    command(env, "csr-sweep")
    state = json.loads(command(env, "shell", "-c", CHECK).strip().splitlines()[-1])
    assert state["statuses"] == ["purchased"] * (ORDERS // 2) + ["refunded"] * (ORDERS // 2)
    assert state["refunds"] == state["provider_refunds"] == ORDERS // 2
    assert state["refunded_twice"] == 0 and state["holds_resolved_twice"] == 0 and state["balanced"]
    assert state["accounts"]["deposits-held"] == "0.00"
    assert state["accounts"]["revenue-parts"] == f"{89 * ORDERS // 2}.00"

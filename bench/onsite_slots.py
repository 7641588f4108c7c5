"""Benchmark: offering visit times for a busy centre (50 technicians, 30 days).

    uv run python bench/onsite_slots.py                 # SQLite, in a temporary file
    uv run python bench/onsite_slots.py --postgres      # a throwaway PostgreSQL (scripts/postgres.sh)

Builds one centre with ``--technicians`` technicians working 09:00–17:00 and 18:00–21:00 every
day, an absence for one in five of them, and ``--visits`` booked visits per technician per day
over ``--days`` days (written straight to the table: the booking service is not what is timed).
Then asks, ``--rounds`` times, for the day slots and for the evening slots of the next ``--days``
days, as the portal's slot page does (``onsite.offers.slots_offered``: the database reads, the
calendars and the slot finder), and prints the median and p99 against the 50 ms limit, as wall
time and as this process's CPU time (which other work on the machine hardly changes; on
PostgreSQL the server's share of a query is not in it).
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.progress import say, step  # noqa: E402

LIMIT_MS = 50.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def build(technicians: int, days: int, visits: int, first: dt.date):
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from django.contrib.auth.models import Group

    from aftersales.accounts.models import User
    from aftersales.centres.models import ServiceCentre
    from aftersales.onsite.models import Absence, Visit, WorkingHours

    tz = ZoneInfo("Asia/Shanghai")
    centre = ServiceCentre.objects.create(code="bench", name_en="Bench", name_zh="基准", region="CN",
                                          city="Shanghai", timezone="Asia/Shanghai", latitude=Decimal("31.188"),
                                          longitude=Decimal("121.437"))
    group = Group.objects.get_or_create(name="technician")[0]
    rng = random.Random(7)
    hours, absences, booked = [], [], []
    for n in range(technicians):
        tech = User.objects.create(username=f"bench-tech-{n}")
        tech.groups.add(group)
        for weekday in range(7):
            hours.append(WorkingHours(technician=tech, centre=centre, weekday=weekday, starts=dt.time(9),
                                      ends=dt.time(17)))
            hours.append(WorkingHours(technician=tech, centre=centre, weekday=weekday, starts=dt.time(18),
                                      ends=dt.time(21)))
        if n % 5 == 0:
            off = dt.datetime.combine(first + dt.timedelta(days=rng.randrange(days)), dt.time(9), tz)
            absences.append(Absence(technician=tech, starts_at=off, ends_at=off + dt.timedelta(days=2)))
        for d in range(days):
            for start in sorted(rng.sample([9, 11.5, 14, 18.5], visits)):
                at = dt.datetime.combine(first + dt.timedelta(days=d), dt.time(int(start), int(start % 1 * 60)), tz)
                booked.append(Visit(centre=centre, technician=tech, starts_at=at, arrives_by=at + dt.timedelta(hours=1),
                                    ends_at=at + dt.timedelta(hours=2), blocked_until=at + dt.timedelta(hours=2.5),
                                    evening=start >= 18, address="Bench", latitude=Decimal("31.2"),
                                    longitude=Decimal("121.4"), km_from_centre=Decimal("3"), free_onsite=True,
                                    trip_fee=Decimal("0"), currency="CNY", created_at=at))
    WorkingHours.objects.bulk_create(hours)
    Absence.objects.bulk_create(absences)
    Visit.objects.bulk_create(booked, batch_size=2000)
    return centre, len(booked)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--technicians", type=int, default=50)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--visits", type=int, default=3, help="booked visits per technician per day (0–4)")
    ap.add_argument("--rounds", type=int, default=60)
    ap.add_argument("--postgres", action="store_true")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="aftersales-slots.", dir="/tmp"))
    pg_dir = None
    if args.postgres:
        pg_dir = Path(tempfile.mkdtemp(prefix="aftersales-pg.", dir="/tmp"))  # postgres.sh hands it to postgres
        url = subprocess.run([str(ROOT / "scripts" / "postgres.sh"), "start", str(pg_dir)], check=True,
                             stdout=subprocess.PIPE, text=True).stdout.strip()
    else:
        url = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="aftersales.settings", DEBUG="0")
    os.environ.setdefault("SECRET_KEY", "bench-" + os.urandom(16).hex())  # a checkout without var/secret_key
    try:
        run(args)
    finally:
        if pg_dir is not None:
            subprocess.run([str(ROOT / "scripts" / "postgres.sh"), "stop", str(pg_dir)], check=True)


def run(args) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    from aftersales.onsite.offers import slots_offered
    from aftersales.policy.pack import parse_pack
    from aftersales.policy.testing import SHIPPED

    with step("migrate"):
        call_command("migrate", verbosity=0)
    now = dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.UTC)
    with step(f"{args.technicians} technicians, {args.days} days, {args.visits} visits a day each"):
        centre, visits = build(args.technicians, args.days, args.visits, now.date())
    terms = parse_pack(SHIPPED["cn-desktop"]).visits
    timings = {False: [], True: []}
    cpu = {False: [], True: []}
    offered = {}
    for r in range(args.rounds + 2):
        for evening in (False, True):
            t0, c0 = time.perf_counter(), time.process_time()
            slots = slots_offered(centre, terms, now=now, days=args.days, evening=evening)
            if r >= 2:  # two warm-up rounds
                timings[evening].append((time.perf_counter() - t0) * 1000)
                cpu[evening].append((time.process_time() - c0) * 1000)
            offered[evening] = len(slots)
    say(f"{visits} visits booked; offered {offered[False]} day and {offered[True]} evening starts")
    for evening, label in ((False, "day"), (True, "evening")):
        ms = timings[evening]
        p99 = percentile(ms, 99)
        say(f"{label} slots over {args.days} days: median {statistics.median(ms):.1f} ms, p99 {p99:.1f} ms "
            f"= {p99 / LIMIT_MS:.2f} of the {LIMIT_MS:.0f} ms limit ({len(ms)} rounds); CPU of this process: "
            f"median {statistics.median(cpu[evening]):.1f} ms, p99 {percentile(cpu[evening], 99):.1f} ms")
    say("slowest day rounds (ms): " + ", ".join(f"{t:.0f}" for t in sorted(timings[False])[-4:]))
    say(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()

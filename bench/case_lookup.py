"""Benchmark: the customer's case look-up and the staff console's queue page at scale, over
real HTTP.

    uv run python bench/case_lookup.py [--cases 10000000 --events-per-case 10 --rounds 3]

Self-contained; everything it starts it stops, and everything it writes is in two temporary
directories it removes, on success, on failure and on Ctrl-C alike.

1. Starts a throwaway PostgreSQL with ``scripts/postgres.sh`` (the test command's server: unix
   socket only, run as the ``postgres`` user under root), set up here for a bulk load on a
   2-core/24 GB machine, and runs ``aftersales migrate`` against it.
2. Generates the data with set-based SQL (``bench/case_data.py``; every status, kind and outcome
   taken from the models): six service centres, a serial registry, N repair cases over three
   years with random case numbers in the real format, statuses that depend on the case's age,
   contact details, 1–3 reported faults per case with findings once diagnosed, and about
   ``--events-per-case`` timeline events per case in time order. Secondary indexes and foreign
   keys are dropped for the load and re-created after it (the foreign keys validated); then
   VACUUM ANALYZE.
3. Serves the project with ``aftersales serve`` (granian, 2 worker processes per CPU, one
   application thread each, connections kept alive) on 127.0.0.1, DEBUG off, persistent database
   connections, the case look-up rate limit raised out of the way (still counted, in the database).
4. Measures, from client threads on the same machine with keep-alive connections, each scenario
   for a fixed number of requests bounded by a fixed duration, at each client concurrency:
   ``GET /healthz`` (no database), ``POST /api/v1/cases/lookup`` with random existing numbers and
   their contact details, and the console's queue page (``console:cases``) as a signed-in member
   of staff: its first page and its deepest keyset page. Client-side latency and the
   ``Server-Timing: app;dur=`` header the app sets (aftersales/core/timing.py) are both reported,
   with each figure's ratio to the health endpoint's. All of it ``--rounds`` times, one round
   after the other, and the median of each figure over the rounds reported beside the rounds'
   range: the machine's speed drifts and other work shares it. Once more for the look-up with
   ``DB_CONN_MAX_AGE=0`` (a new database connection per request, the settings' default).
5. Prints EXPLAIN (ANALYZE, BUFFERS) of every query the look-up and the queue pages run.

It reports figures and checks only that it measured what it meant to: any answer other than 200
stops the run, and so do queue pages that do not list the open cases they should.

Target (docs/PERFORMANCE.md): look-up p99 under 10 ms server-side at 10M cases.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import http.client
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.progress import say, step  # noqa: E402

TARGET_MS = 10.0
CPU_TARGET_MS = 1.0  # CPU time a look-up may cost, the web server's and PostgreSQL's together
STAFF_USER, STAFF_PASSWORD = "bench-staff", "bench-staff-password-1"

# --- clean-up ------------------------------------------------------------------------------------


class Cleanup:
    """Undo actions, run once in reverse order: from ``finally``, from atexit, on SIGTERM."""

    def __init__(self):
        self.actions: list[tuple[str, callable]] = []
        self.lock = threading.Lock()

    def add(self, name, action):
        self.actions.append((name, action))

    def run(self):
        with self.lock:
            while self.actions:
                name, action = self.actions.pop()
                try:
                    action()
                except Exception as exc:  # keep going: the rest must still be undone
                    print(f"clean-up: {name} failed: {exc}", file=sys.stderr)


CLEANUP = Cleanup()
atexit.register(CLEANUP.run)
# --- PostgreSQL ------------------------------------------------------------------------------------


class Postgres:
    """A throwaway server from ``scripts/postgres.sh``, in a directory of its own under /tmp (a
    socket's path has a length limit), stopped and removed by the clean-up."""

    SCRIPT = ROOT / "scripts" / "postgres.sh"
    # Memory for a 24 GB machine that also runs the app and the client; a bulk load into a
    # throwaway server (no WAL beyond the minimum); VACUUM ANALYZE is run explicitly after the load.
    SETTINGS = ["max_connections=50", "shared_buffers=2GB", "effective_cache_size=16GB", "work_mem=64MB",
                "maintenance_work_mem=1GB", "max_parallel_maintenance_workers=2", "random_page_cost=1.1",
                "wal_level=minimal", "max_wal_senders=0", "max_wal_size=16GB", "checkpoint_timeout=30min",
                "autovacuum=off"]

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="aftersales-pg.", dir="/tmp"))
        CLEANUP.add("stop PostgreSQL and remove its directory", self.stop)
        self.data = self.dir / "data"
        self.url = ""

    def start(self):
        self.url = subprocess.run([str(self.SCRIPT), "start", str(self.dir), *self.SETTINGS], check=True,
                                  stdout=subprocess.PIPE, text=True).stdout.strip()

    def stop(self):
        subprocess.run([str(self.SCRIPT), "stop", str(self.dir)], check=True)

    def connect(self):
        import psycopg

        return psycopg.connect(host=str(self.dir), user="postgres", dbname="aftersales", autocommit=True)


# --- HTTP load -------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    concurrency: int
    round: int = 1
    client_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0
    first_error: str = ""
    others_cpu: float = 0.0
    server_cpu: float = 0.0  # seconds of CPU used by the web server and PostgreSQL during the measured part

    @property
    def count(self):
        return len(self.client_ms)

    @property
    def rate(self):
        return self.count / self.elapsed if self.elapsed else 0.0


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


SERVER_TIMING = re.compile(r"(?:^|,)\s*app;dur=([\d.]+)")


def drive(port: int, name: str, make, *, requests: int, seconds: float, concurrency: int,
          warmup: int = 0, warmup_seconds: float = 5.0, before_measuring=None) -> Result:
    """Sends ``requests`` requests (fewer if ``seconds`` runs out) from ``concurrency`` threads, each
    on its own keep-alive connection, after ``warmup`` requests (at most ``warmup_seconds``) that
    are not counted. ``make(rng)`` gives (method, path, body, headers). Stops at the first answer
    that is not a 200 with a ``Server-Timing`` figure, or the first failed request, and says so in
    ``errors`` and ``first_error``: what follows would not measure what it claims to."""
    result = Result(name, concurrency)
    lock = threading.Lock()
    issued = 0
    deadline = None

    def fail(what: str) -> None:
        with lock:
            result.errors += 1
            result.first_error = result.first_error or what

    def worker(seed: int, quota_only: int | None):
        nonlocal issued
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        done = 0
        try:
            while not result.errors:
                if quota_only is not None:
                    if done >= quota_only or time.perf_counter() > deadline:
                        return
                else:
                    with lock:
                        if issued >= requests or time.perf_counter() > deadline:
                            return
                        issued += 1
                method, path, body, headers = make(rng)
                t0 = time.perf_counter()
                try:
                    conn.request(method, path, body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                except (http.client.HTTPException, OSError) as exc:
                    return fail(f"{method} {path}: {exc!r}")
                took = (time.perf_counter() - t0) * 1000
                done += 1
                timing = SERVER_TIMING.search(response.getheader("Server-Timing") or "")
                if response.status != 200:
                    return fail(f"HTTP {response.status} for {method} {path}")
                if not timing:
                    return fail(f"no Server-Timing figure in the answer to {method} {path}")
                if quota_only is None:
                    with lock:
                        result.client_ms.append(took)
                        result.server_ms.append(float(timing.group(1)))
        finally:
            conn.close()

    def run(quota: int | None):
        threads = [threading.Thread(target=worker, args=(1000 * concurrency + i, quota), daemon=True)
                   for i in range(concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    if warmup:
        deadline = time.perf_counter() + warmup_seconds
        run(max(1, warmup // concurrency))
    if before_measuring:
        before_measuring()
    deadline = time.perf_counter() + seconds
    t0 = time.perf_counter()
    run(None)
    result.elapsed = time.perf_counter() - t0
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    READY_SECONDS = 90  # how long the server may take to answer its first /healthz

    def __init__(self, env: dict, log: Path, workers: int, threads: int):
        self.env, self.log, self.workers, self.threads = env, log, workers, threads
        self.proc = None
        self.port = 0

    def start(self):
        self.port = free_port()
        # The production command (aftersales/core/management/commands/serve.py), which becomes
        # the server's main process (granian's).
        cmd = [sys.executable, "-m", "aftersales.cli", "serve", "--bind", f"127.0.0.1:{self.port}",
               "--workers", str(self.workers), "--threads", str(self.threads)]
        # The server's log and Django's (errors with their tracebacks) both go to stderr, kept here.
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(cmd, env=self.env, cwd=ROOT, stdout=log, stderr=log)
        CLEANUP.add("stop the web server", self.stop)
        deadline, last = time.perf_counter() + self.READY_SECONDS, "no answer"
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the web server exited with {self.proc.returncode}:\n{self.tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                body = response.read()
                conn.close()
                if response.status == 200:
                    return
                last = f"HTTP {response.status}: {body[:200]!r}"
            except OSError as exc:
                last = repr(exc)
            time.sleep(0.3)
        raise SystemExit(f"the web server did not answer /healthz with 200 within {self.READY_SECONDS} s "
                         f"(last: {last}):\n{self.tail()}")

    def tail(self) -> str:
        try:
            return "".join(self.log.read_text(errors="replace").splitlines(True)[-30:])
        except FileNotFoundError:
            return ""

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # the server's main process stops its workers gracefully
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def http_json(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def sign_in(port: int, login_path: str) -> str:
    """Signs in through the console's login form; returns the Cookie header for the session."""
    response, page = http_json(port, "GET", login_path)
    cookies = {m.group(1): m.group(2) for h in response.headers.get_all("Set-Cookie") or []
               if (m := re.match(r"([^=]+)=([^;]*)", h))}
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    body = urlencode({"username": STAFF_USER, "password": STAFF_PASSWORD, "csrfmiddlewaretoken": token})
    response, _ = http_json(port, "POST", login_path, body, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookies['csrftoken']}",
        "Referer": f"http://127.0.0.1:{port}{login_path}"})
    for h in response.headers.get_all("Set-Cookie") or []:
        if m := re.match(r"([^=]+)=([^;]*)", h):
            cookies[m.group(1)] = m.group(2)
    if response.status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"sign-in failed: HTTP {response.status}")
    return f"sessionid={cookies['sessionid']}"


# --- the Django side: users, samples, EXPLAIN --------------------------------------------------------


def django_setup(env: dict):
    os.environ.update(env)
    import django

    django.setup()


def prepare_staff(centre_id: int):
    from django.contrib.auth.models import Group

    from aftersales.accounts.models import User
    from aftersales.accounts.roles import Role

    user = User.objects.create_user(STAFF_USER, password=STAFF_PASSWORD)
    user.groups.add(Group.objects.get(name=Role.STAFF))
    user.centres.add(centre_id)
    return user


def lookup_sample(size: int, total: int) -> list[tuple[str, str]]:
    from django.db import connection

    share = min(100.0, 100.0 * size * 1.3 / max(total, 1))
    with connection.cursor() as cur:
        cur.execute(f"SELECT number, email, phone FROM repairs_case TABLESAMPLE BERNOULLI ({share}) LIMIT %s", [size])
        rows = cur.fetchall()
    rng = random.Random(5)
    return [(number, email if email and (not phone or rng.random() < 0.6) else phone)
            for number, email, phone in rows]


CURSOR = re.compile(r"^\d{4}-\d\d-\d\dT[^_]+_\d+$")


@dataclass
class QueuePlan:
    """How the queue pages at one centre, and which cases its first and deepest pages list."""

    open_cases: int
    param: str  # the cursor's query parameter
    page_size: int
    deep_cursor: str | None  # opens the deepest full page; None when there is one page only
    first_numbers: list[str]  # as displayed, in queue order
    deep_numbers: list[str]


def queue_plan(first_page_html: str, centre_id: int) -> QueuePlan:
    """Read from the first page's rel="next" link (the cursor parameter, and the page size as the
    number of open cases up to its cursor) and from the open cases in queue order, oldest first."""
    from urllib.parse import parse_qsl, urlsplit

    from django.db.models import Q

    from aftersales.repairs.models import Case
    from aftersales.repairs.numbers import display
    from aftersales.repairs.status import CLOSED

    qs = Case.objects.filter(centre_id=centre_id).exclude(status__in=sorted(CLOSED)).order_by("created_at", "pk")
    count = qs.count()
    link = re.search(r'<a\b[^>]*\brel="next"[^>]*>', first_page_html)
    href = re.search(r'href="([^"]+)"', link.group(0)) if link else None
    pairs = parse_qsl(urlsplit(href.group(1).replace("&amp;", "&")).query) if href else []
    param, cursor = next(((k, v) for k, v in pairs if CURSOR.match(v)), ("after", None))
    size, deep = count, None
    if cursor is not None:
        stamp, pk = cursor.rsplit("_", 1)
        stamp = dt.datetime.fromisoformat(stamp)
        size = qs.filter(Q(created_at__lt=stamp) | Q(created_at=stamp, pk__lte=int(pk))).count()
        row = qs.values_list("created_at", "pk")[count - size - 1]
        deep = f"{row[0].isoformat()}_{row[1]}"
    numbers = qs.values_list("number", flat=True)
    return QueuePlan(count, param, size, deep, [display(n) for n in numbers[:size]],
                     [display(n) for n in numbers[max(0, count - size):]])


def check_lists(html: str, numbers: list[str], what: str) -> None:
    """Stops the run unless the page lists those case numbers in that order."""
    at = [html.find(n) for n in numbers]
    if not numbers or -1 in at or at != sorted(at):
        raise SystemExit(f"{what} does not list the {len(numbers)} open cases it should, oldest first")


class CpuMeter:
    """CPU time of the whole machine against that of this benchmark's own processes (itself, the
    server and PostgreSQL), so that a figure taken while something else was busy says so; and the
    CPU time the server side (the web server and PostgreSQL) spent, which other work on the machine
    hardly changes."""

    def __init__(self, pg: Postgres):
        self.pg = pg
        self.server_pid: int | None = None

    @staticmethod
    def _busy_ticks() -> int:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        return sum(fields) - fields[3] - fields[4]  # all but idle and iowait

    def _tree_ticks(self) -> tuple[int, int]:
        """CPU ticks of this process's tree with PostgreSQL's, and of the server's (the web server
        and PostgreSQL). A process's own time plus that of its children already reaped, so that
        short-lived database backends are counted too."""
        parents, ticks = {}, {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    rest = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(rest[1])
            ticks[int(entry)] = sum(int(x) for x in rest[11:15])  # utime stime cutime cstime

        def tree(roots: set[int]) -> set[int]:
            found, grew = set(roots), True
            while grew:
                new = {pid for pid, parent in parents.items() if parent in found and pid not in found}
                found |= new
                grew = bool(new)
            return found

        postgres: set[int] = set()
        try:
            postgres = tree({int((self.pg.data / "postmaster.pid").read_text().split()[0])})
        except (OSError, ValueError, IndexError):
            pass
        server = tree({self.server_pid}) if self.server_pid else set()
        mine = tree({os.getpid()}) | postgres
        return sum(ticks.get(p, 0) for p in mine), sum(ticks.get(p, 0) for p in server | postgres)

    def snapshot(self) -> tuple[float, int, int, int]:
        own, server = self._tree_ticks()
        return time.perf_counter(), self._busy_ticks(), own, server

    @staticmethod
    def others(before, after) -> float:
        """CPUs' worth of work done by other processes between two snapshots (2.0 = two whole CPUs)."""
        hz = os.sysconf("SC_CLK_TCK")
        seconds = after[0] - before[0]
        return max(0.0, ((after[1] - before[1]) - (after[2] - before[2])) / hz / seconds) if seconds else 0.0

    @staticmethod
    def server_seconds(before, after) -> float:
        return (after[3] - before[3]) / os.sysconf("SC_CLK_TCK")

    def wait_quiet(self, limit_seconds: float, threshold: float = 0.25) -> float:
        """Waits (at most ``limit_seconds``) for other processes to use less than ``threshold`` of a
        CPU over 3 s; returns the last reading."""
        deadline = time.perf_counter() + limit_seconds
        said = 0.0
        while True:
            before = self.snapshot()
            time.sleep(3)
            load = self.others(before, self.snapshot())
            if load < threshold or time.perf_counter() > deadline:
                return load
            if time.perf_counter() - said >= 60:  # a line a minute, not every reading
                say(f"  other processes are using {load:.2f} CPU; waiting for the machine to quieten")
                said = time.perf_counter()


def explain_requests(requests: list[tuple[str, callable]]):
    """Runs each request in-process through Django's test client and prints EXPLAIN (ANALYZE,
    BUFFERS) of every query it ran."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for title, call in requests:
        call()  # once to warm the caches, as the load test does
        with CaptureQueriesContext(connection) as ctx:
            response = call()
        print(f"\n=== {title}: HTTP {response.status_code}, {len(ctx.captured_queries)} queries", flush=True)
        for i, q in enumerate(ctx.captured_queries, 1):
            sql = q["sql"]
            print(f"--- query {i} ({float(q['time']) * 1000:.2f} ms in Django): {sql[:400]}"
                  f"{' …' if len(sql) > 400 else ''}")
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                for (line,) in cur.fetchall():
                    print("    " + line)
    print(flush=True)


# --- report ----------------------------------------------------------------------------------------


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
               platform.processor())
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
            "python": platform.python_version(), "kernel": platform.release()}


def fmt(v: float) -> str:
    return f"{v:.2f}" if v < 10 else f"{v:.1f}"


HEADER = ("scenario                      conc  reqs  err   req/s  client p50   p99 | server p50   p99 | "
          "x health p50  p99  req/s | server p99 / 10 ms | server CPU/req | other CPU")


def report(results: list[Result]) -> None:
    print("\n" + HEADER)
    for r in results:
        print(result_line(r, results))
    print("\nmedians over the rounds (the lowest and highest round in brackets):")
    print(MEDIAN_HEADER)
    for name, concurrency in dict.fromkeys((r.name, r.concurrency) for r in results):
        print(median_line([r for r in results if (r.name, r.concurrency) == (name, concurrency)], results))
    print("(latencies in ms; ratios: server-side p50 and p99 against the health endpoint's at the same "
          "concurrency, throughput against its throughput; server CPU/req: CPU time the web server and PostgreSQL "
          "spent per request, which other work on the machine hardly changes; other CPU: CPUs' worth of "
          "work by processes not part of this benchmark while it ran)")


def result_line(r: Result, results: list[Result]) -> str:
    h = next((x for x in results if x.name == "health" and x.concurrency == r.concurrency
              and x.round == r.round), None)
    cpu_ms = r.server_cpu * 1000 / (r.count + r.errors) if r.count + r.errors else float("nan")
    cp50, cp99 = percentile(r.client_ms, 50), percentile(r.client_ms, 99)
    sp50, sp99 = percentile(r.server_ms, 50), percentile(r.server_ms, 99)
    if h and r is not h and h.rate and h.server_ms and r.server_ms:
        ratios = (f"{sp50 / percentile(h.server_ms, 50):9.1f} {sp99 / percentile(h.server_ms, 99):5.1f} "
                  f"{r.rate / h.rate:6.2f}")
    else:
        ratios = f"{'-':>9} {'-':>5} {'-':>6}"
    name = f"{r.name} [{r.round}]" if r.round else r.name
    return (f"{name:<29} {r.concurrency:>4} {r.count:>5} {r.errors:>4} {r.rate:>7.0f}  {fmt(cp50):>9} "
            f"{fmt(cp99):>5} | {fmt(sp50):>9} {fmt(sp99):>5} | {ratios} | {sp99 / TARGET_MS:18.2f} | "
            f"{cpu_ms:11.2f} ms | {r.others_cpu:9.2f}" + (f"   first error: {r.first_error}" if r.errors else ""))


MEDIAN_HEADER = ("scenario                      conc rounds | server p50          | server p99          | "
                 "p99 / 10 ms | p50 x health p99 x health | server CPU/req        | other CPU")


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def figures(r: Result) -> dict[str, float]:
    return {"p50": percentile(r.server_ms, 50), "p99": percentile(r.server_ms, 99),
            "cpu": r.server_cpu * 1000 / (r.count + r.errors) if r.count + r.errors else float("nan"),
            "others": r.others_cpu}


def median_line(rounds: list[Result], results: list[Result]) -> str:
    """The median of each figure over the rounds of one scenario, with its range; the ratios to the
    health endpoint are taken round by round (same round, same connections), then their median."""
    each = [figures(r) for r in rounds]

    def spread(key: str) -> str:
        values = [f[key] for f in each]
        return f"{fmt(_median(values)):>6} [{fmt(min(values))}-{fmt(max(values))}]"

    ratios = {"p50": [], "p99": []}
    for r in rounds:
        h = next((x for x in results if x.name == "health" and x.concurrency == r.concurrency
                  and x.round == r.round), None)
        if h is not None and h is not r and h.server_ms and r.server_ms:
            for key in ratios:
                ratios[key].append(figures(r)[key] / figures(h)[key])
    ratio = " ".join(f"{_median(v):10.1f}" if v else f"{'-':>10}" for v in ratios.values())
    p99 = _median([f["p99"] for f in each])
    return (f"{rounds[0].name:<29} {rounds[0].concurrency:>4} {len(rounds):>6} | {spread('p50'):<19} | "
            f"{spread('p99'):<19} | {p99 / TARGET_MS:11.2f} | {ratio:<26}| {spread('cpu'):<21} | "
            f"{_median([f['others'] for f in each]):9.2f}")


# --- main ------------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--events-per-case", type=int, default=10)
    ap.add_argument("--requests", type=int, default=3000, help="per scenario and concurrency")
    ap.add_argument("--seconds", type=float, default=25.0, help="at most this long per scenario and concurrency")
    ap.add_argument("--rounds", type=int, default=3, help="measure every scenario this many times; medians reported")
    ap.add_argument("--concurrency", default="1,4", help="client connections, comma-separated")
    # Processes rather than threads: the app is CPU-bound Python, and threads of one process take
    # turns on the GIL (5 ms at a time), which shows in the tail latency.
    ap.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1), help="web server worker processes")
    ap.add_argument("--threads", type=int, default=1, help="application threads per web server worker")
    ap.add_argument("--quiet-wait", type=float, default=120.0,
                    help="wait at most this long for other processes to go quiet before measuring")
    ap.add_argument("--no-explain", action="store_true")
    ap.add_argument("--in-process-rounds", type=int, default=5,
                    help="rounds of the in-process measurement (0: skip it)")
    args = ap.parse_args()
    levels = [int(c) for c in args.concurrency.split(",") if c.strip()]

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(129))
    try:
        run(args, levels)
    finally:
        CLEANUP.run()
        say("stopped the server and PostgreSQL, removed the temporary directories")


def run(args, levels: list[int]) -> None:
    facts = machine()
    say(f"machine: {facts['nproc']} CPU ({facts['cpu']}), {facts['ram']} RAM, Python {facts['python']}, "
        f"Linux {facts['kernel']}")
    work = Path(tempfile.mkdtemp(prefix="bench-case-lookup."))
    CLEANUP.add("remove the work directory", lambda: shutil.rmtree(work, ignore_errors=True))
    (work / "static").mkdir()
    (work / "media").mkdir()

    pg = Postgres()
    with step("PostgreSQL: initdb and start (scripts/postgres.sh)"):
        pg.start()
    env = {**os.environ, "DATABASE_URL": pg.url, "AFTERSALES_VAR_DIR": str(work), "DEBUG": "0",
           "DJANGO_SETTINGS_MODULE": "aftersales.settings", "SECRET_KEY": "bench-" + os.urandom(16).hex(),
           "CASE_LOOKUPS_PER_MINUTE": str(10**9), "DB_CONN_MAX_AGE": "600", "LOG_LEVEL": "WARNING",
           "PYTHONPATH": str(ROOT)}
    with step("aftersales migrate"):
        subprocess.run([sys.executable, "-m", "aftersales.cli", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    with pg.connect() as conn:
        pg_version = conn.execute("SHOW server_version").fetchone()[0]
    say(f"PostgreSQL {pg_version}")
    django_setup(env)
    from bench.case_data import load  # builds its words from the models: Django must be set up first

    with step("data"):
        counts = load(pg, cases=args.cases, events_per_case=args.events_per_case)
    centre_id = counts["centre_ids"][0]  # the busiest centre
    prepare_staff(centre_id)
    requests = Requests(lookup_sample(20_000, counts["cases"]), centre_id)
    if not args.no_explain:
        with step("EXPLAIN (ANALYZE, BUFFERS) of each query the requests run"):
            requests.explain()
    if args.in_process_rounds:
        with step(f"in-process CPU a request, {args.in_process_rounds} rounds interleaved"):
            in_process(requests, args.in_process_rounds, args.requests)
    from django.db import connections

    connections.close_all()
    results = measure_all(args, levels, env, work, pg, requests)

    print(f"\n{counts['cases']:,} cases, {counts['events']:,} events, {counts['symptoms']:,} reported faults, "
          f"{counts['findings']:,} findings; PostgreSQL {pg_version}; "
          f"granian (aftersales serve) {args.workers}x{args.threads}; {facts['nproc']} CPU {facts['cpu']}, "
          f"{facts['ram']}; Python {facts['python']}; {dt.date.today()}")
    report(results)
    print(f"\ntarget: look-up p99 server-side < {TARGET_MS:.0f} ms at {counts['cases']:,} cases "
          f"(median over the rounds; each round's in brackets)")
    for name, concurrency in dict.fromkeys((r.name, r.concurrency) for r in results if r.name.startswith("lookup")):
        rounds = [r for r in results if (r.name, r.concurrency) == (name, concurrency)]
        each = [percentile(r.server_ms, 99) for r in rounds]
        p99, cpu = _median(each), _median([figures(r)["cpu"] for r in rounds])
        print(f"  {name}, {concurrency} connection(s): p99 {p99:.2f} ms [{', '.join(f'{v:.2f}' for v in each)}] "
              f"= {p99 / TARGET_MS:.2f} of the limit: {'met' if p99 < TARGET_MS else 'NOT met'}; "
              f"server CPU {cpu:.2f} ms a request = {cpu / CPU_TARGET_MS:.2f} of the {CPU_TARGET_MS:.0f} ms limit: "
              f"{'met' if cpu < CPU_TARGET_MS else 'NOT met'}")


class Requests:
    """What the scenarios send: look-ups of sampled cases with their contact details, and the
    console's queue page, first and deepest, as a member of staff of the busiest centre. Made
    in-process first (Django's test client), to check that the pages list what they should."""

    def __init__(self, sample: list[tuple[str, str]], centre_id: int):
        from django.test import Client
        from django.urls import reverse

        from aftersales.accounts.models import User

        self.sample = sample
        self.login_path, self.queue_path = reverse("console:login"), reverse("console:cases")
        self.staff = Client()
        self.staff.force_login(User.objects.get(username=STAFF_USER))
        first = self.staff.get(self.queue_path)
        if first.status_code != 200:
            raise SystemExit(f"the queue page {self.queue_path} answered {first.status_code} to a member of staff")
        plan = queue_plan(first.content.decode(), centre_id)
        if not plan.open_cases:
            raise SystemExit("no open case at the busiest centre: the queue would have nothing to list")
        self.deep_path = (f"{self.queue_path}?{urlencode({plan.param: plan.deep_cursor})}" if plan.deep_cursor
                          else self.queue_path)
        check_lists(first.content.decode(), plan.first_numbers, f"the queue's first page {self.queue_path}")
        check_lists(self.staff.get(self.deep_path).content.decode(), plan.deep_numbers,
                    f"the queue's deepest page {self.deep_path}")
        say(f"queue: {plan.open_cases:,} open cases at the busiest centre, {plan.page_size} a page, cursor "
            f"?{plan.param}=; the first and the deepest page list the cases they should")

    def lookup_body(self, rng) -> str:
        from aftersales.repairs.numbers import display

        number, contact = rng.choice(self.sample)
        shown = display(number) if rng.random() < 0.5 else number.lower()
        return json.dumps({"number": shown, "contact": contact})

    def explain(self) -> None:
        from django.test import Client

        client, body = Client(), self.lookup_body(random.Random(3))
        explain_requests([
            ("POST /api/v1/cases/lookup",
             lambda: client.post("/api/v1/cases/lookup", body, content_type="application/json")),
            (f"GET {self.queue_path} (first page)", lambda: self.staff.get(self.queue_path)),
            (f"GET {self.deep_path} (deepest page)", lambda: self.staff.get(self.deep_path)),
        ])


def in_process(requests: Requests, rounds: int, count: int) -> None:
    """CPU time of this process a request, calling WSGI applications directly (no HTTP server,
    no other process): the look-up through the served application (``aftersales.wsgi``, with
    the look-up's own way in), the same look-ups through Django's handler alone (the whole
    middleware chain and django-ninja), and ``GET /healthz`` for scale. PostgreSQL's own CPU is
    not counted here. Rounds interleave the three, so that other work on the machine weighs on
    each alike; medians printed."""
    import io

    from django.core.handlers.wsgi import WSGIHandler

    from aftersales.wsgi import application as served

    plain, rng = WSGIHandler(), random.Random(11)
    bodies = [requests.lookup_body(rng).encode() for _ in range(count)]

    def environ(method: str, path: str, body: bytes) -> dict:
        return {"REQUEST_METHOD": method, "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
                "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
                "HTTP_HOST": "127.0.0.1", "REMOTE_ADDR": "10.0.0.1", "CONTENT_TYPE": "application/json",
                "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http",
                "wsgi.errors": sys.stderr, "wsgi.version": (1, 0), "wsgi.multithread": False,
                "wsgi.multiprocess": False, "wsgi.run_once": False}

    def cpu_ms(app, method: str, path: str, use_bodies: bool) -> float:
        statuses = set()

        def start_response(status, headers, exc_info=None):
            statuses.add(status[:3])

        began = time.process_time()
        for body in (bodies if use_bodies else [b""] * count):
            response = app(environ(method, path, body), start_response)
            b"".join(response)
            response.close()
        spent = (time.process_time() - began) / count * 1000
        if statuses != {"200"}:
            raise SystemExit(f"{path} answered {sorted(statuses)} in-process")
        return spent

    kinds = {"look-up, served (its own way in)": (served, "POST", "/api/v1/cases/lookup", True),
             "look-up, Django's handler alone": (plain, "POST", "/api/v1/cases/lookup", True),
             "health, Django's handler": (plain, "GET", "/healthz", False)}
    for app, method, path, use in kinds.values():  # warm up: connections, prepared statements
        cpu_ms(app, method, path, use)
    figures = {name: [] for name in kinds}
    for _ in range(rounds):
        for name, (app, method, path, use) in kinds.items():
            figures[name].append(cpu_ms(app, method, path, use))
    for name, values in figures.items():
        say(f"  {name}: {_median(values):.3f} ms CPU a request "
            f"[{', '.join(f'{v:.3f}' for v in values)}] (this process only)")


def measure_all(args, levels: list[int], env: dict, work: Path, pg: Postgres, requests: Requests) -> list[Result]:
    """Every scenario at every concurrency against the web server, then the look-up once more with a new
    database connection per request. Stops at the first scenario with a failed request."""
    server = Server(env, work / "server.log", args.workers, args.threads)
    with step(f"aftersales serve (granian): {args.workers} workers x {args.threads} thread(s), DB_CONN_MAX_AGE=600"):
        server.start()
    cookie = sign_in(server.port, requests.login_path)
    json_headers = {"Content-Type": "application/json"}
    scenarios = [
        ("health", lambda rng: ("GET", "/healthz", None, {})),
        ("lookup", lambda rng: ("POST", "/api/v1/cases/lookup", requests.lookup_body(rng), json_headers)),
        ("queue, first page", lambda rng: ("GET", requests.queue_path, None, {"Cookie": cookie})),
        ("queue, deepest page", lambda rng: ("GET", requests.deep_path, None, {"Cookie": cookie})),
    ]
    meter = CpuMeter(pg)
    results: list[Result] = []
    marks: list = []
    with step(f"waiting (at most {args.quiet_wait:.0f} s) for other processes to leave the CPUs alone"):
        say(f"  other processes: {meter.wait_quiet(args.quiet_wait):.2f} CPU")

    def measure(server, name, make, concurrency, round_=0):
        meter.server_pid = server.proc.pid
        r = drive(server.port, name, make, requests=args.requests, seconds=args.seconds,
                  concurrency=concurrency, warmup=200, before_measuring=lambda: marks.append(meter.snapshot()))
        r.round = round_
        after = meter.snapshot()
        r.others_cpu = meter.others(marks[-1], after)
        r.server_cpu = meter.server_seconds(marks[-1], after)
        results.append(r)
        print("  " + result_line(r, results), flush=True)
        if r.errors:
            raise SystemExit(f"{name}: a request failed, so the figures would not measure what they say: "
                             f"{r.first_error} (the server's log: {server.log}, kept until the run ends)")

    print(HEADER, flush=True)
    for round_ in range(1, args.rounds + 1):
        if round_ > 1:
            with step(f"round {round_}: waiting (at most 30 s) for other processes to leave the CPUs alone"):
                say(f"  other processes: {meter.wait_quiet(30):.2f} CPU")
        for concurrency in levels:
            for name, make in scenarios:
                with step(f"round {round_}/{args.rounds}, {name}: {args.requests} requests or {args.seconds:.0f} s, "
                          f"{concurrency} connection(s)"):
                    measure(server, name, make, concurrency, round_)
    server.stop()

    server0 = Server({**env, "DB_CONN_MAX_AGE": "0"}, work / "server-0.log", args.workers, args.threads)
    with step("the web server again with DB_CONN_MAX_AGE=0 (a new database connection per request)"):
        server0.start()
    for concurrency in levels[:1]:
        for name, make in scenarios[1:2]:
            with step(f"{name} (new connection per request): {concurrency} connection(s)"):
                measure(server0, name + ", conn_max_age=0", make, concurrency, 1)
    server0.stop()
    return results


if __name__ == "__main__":
    main()

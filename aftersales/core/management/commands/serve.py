"""``aftersales serve``: the production web server, granian running ``aftersales.wsgi``.

    aftersales serve [--bind ADDRESS:PORT] [--workers N] [--threads N] [-- GRANIAN-OPTION ...]

Workers are processes, ``2 × CPU cores`` of this machine by default (``--workers`` or
``WEB_CONCURRENCY`` say otherwise): a request is CPU-bound Python between short database calls,
so one process per core keeps the cores busy and a second per core serves while the first waits
on PostgreSQL; threads of one process would take turns on the interpreter lock instead
(docs/PERFORMANCE.md measures both). Each worker runs the application on one thread by default
and keeps its database connection (``DB_CONN_MAX_AGE``); HTTP parsing, keep-alive connections
and writing the answer are done by the server's own threads, in Rust, outside the interpreter
lock. It replaced gunicorn because it costs about half the CPU time a request
(docs/decisions/web-server-granian.md).

The command runs Django's system checks, then replaces itself with granian, so that a signal
sent to it reaches granian's main process: TERM (or INT) stops gracefully, requests in flight
finishing (a worker still busy after 30 s is killed), HUP starts fresh workers one after the
other, which load the code anew, and stops the old ones gracefully. A worker that dies is
replaced. Options after ``--`` go to granian as they are and win over these, e.g.
``-- --access-log``.
"""

from __future__ import annotations

import argparse
import os
import sys

from django.core.management.base import BaseCommand

DEFAULT_BIND = "127.0.0.1:8000"
GRACEFUL_SECONDS = 30  # how long a worker may take over the requests in flight when told to stop


def default_workers() -> int:
    return int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1))


def host_and_port(bind: str) -> tuple[str, str]:
    """``HOST:PORT`` (an IPv6 host in brackets) as granian takes it; port 8000 when none is given."""
    host, colon, port = bind.rpartition(":")
    if not colon or "]" in port or (":" in host and not host.endswith("]")):  # no port
        return bind.strip("[]"), "8000"
    return host.strip("[]") or "0.0.0.0", port


def server_argv(*, bind: str, workers: int, threads: int, extra: list[str]) -> list[str]:
    host, port = host_and_port(bind)
    return [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", host, "--port", port,
            "--workers", str(workers), "--blocking-threads", str(threads),
            "--workers-kill-timeout", str(GRACEFUL_SECONDS),
            # As gunicorn's master did: a worker that exits unexpectedly is started again.
            "--respawn-failed-workers",
            "--no-ws", "--log-level", "warning",
            *extra, "aftersales.wsgi:application"]


class Command(BaseCommand):
    help = "Serve the site with granian (2 worker processes per CPU core unless told otherwise)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=DEFAULT_BIND,
                            help=f"address:port to listen on (default {DEFAULT_BIND}; 0.0.0.0:8000 behind a "
                                 f"load balancer)")
        parser.add_argument("--workers", type=int, default=None,
                            help="worker processes (default: WEB_CONCURRENCY, else 2 per CPU core)")
        parser.add_argument("--threads", type=int, default=1,
                            help="threads per worker running the application (default 1)")
        parser.add_argument("granian", nargs=argparse.REMAINDER,
                            help="after --: options passed to granian as they are")

    def handle(self, *args, **opts):
        extra = [a for a in opts["granian"] if a != "--"] if opts["granian"] else []
        argv = server_argv(bind=opts["bind"], workers=opts["workers"] or default_workers(),
                           threads=opts["threads"], extra=extra)
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, argv)

"""``aftersales serve``: the production web server, gunicorn running ``aftersales.wsgi``.

    aftersales serve [--bind ADDRESS:PORT] [--workers N] [--threads N] [-- GUNICORN-OPTION ...]

Workers are processes, ``2 × CPU cores`` of this machine by default (``--workers`` or
``WEB_CONCURRENCY`` say otherwise): a request is CPU-bound Python between short database calls,
so one process per core keeps the cores busy and a second per core serves while the first waits
on PostgreSQL; threads of one process would take turns on the interpreter lock instead
(docs/PERFORMANCE.md measures both). Each worker keeps client connections alive (the gthread
worker class, one thread by default) and its database connection (``DB_CONN_MAX_AGE``).

The command runs Django's system checks, then replaces itself with gunicorn, so that a signal
sent to it reaches gunicorn's master: TERM stops gracefully (requests in flight finish within
``--graceful-timeout``), HUP reloads the code. Options after ``--`` go to gunicorn as they are
and win over these, e.g. ``-- --access-logfile -``. gunicorn's control socket is off.
"""

from __future__ import annotations

import argparse
import os
import sys

from django.core.management.base import BaseCommand

DEFAULT_BIND = "127.0.0.1:8000"


def default_workers() -> int:
    return int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1))


def gunicorn_argv(*, bind: str, workers: int, threads: int, extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "--bind", bind, "--workers", str(workers),
            "--worker-class", "gthread", "--threads", str(threads),
            # A slow client never holds a worker: keep-alive connections wait in the gthread
            # worker's poller, not in a thread.
            "--keep-alive", "5",
            # The heartbeat of a worker stuck this long (not of a long upload) gets it restarted.
            "--timeout", "60", "--graceful-timeout", "30",
            # gunicorn's control socket has one path per user by default, which two servers on
            # one machine would share.
            "--no-control-socket",
            *extra, "aftersales.wsgi:application"]


class Command(BaseCommand):
    help = "Serve the site with gunicorn (2 worker processes per CPU core unless told otherwise)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=DEFAULT_BIND,
                            help=f"address:port to listen on (default {DEFAULT_BIND}; 0.0.0.0:8000 behind a "
                                 f"load balancer); may be repeated after -- for more")
        parser.add_argument("--workers", type=int, default=None,
                            help="worker processes (default: WEB_CONCURRENCY, else 2 per CPU core)")
        parser.add_argument("--threads", type=int, default=1, help="threads per worker (default 1)")
        parser.add_argument("gunicorn", nargs=argparse.REMAINDER,
                            help="after --: options passed to gunicorn as they are")

    def handle(self, *args, **opts):
        extra = [a for a in opts["gunicorn"] if a != "--"] if opts["gunicorn"] else []
        argv = gunicorn_argv(bind=opts["bind"], workers=opts["workers"] or default_workers(),
                             threads=opts["threads"], extra=extra)
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, argv)

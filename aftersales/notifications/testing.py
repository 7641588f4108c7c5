"""Helpers for tests that go through the real task queue (django-tasks' database backend)."""

from __future__ import annotations

import io
import signal

from django.core.management import call_command

_SIGNALS = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGQUIT", None)) if s is not None]


def run_due_tasks() -> None:
    """Run the database worker once (``db_worker --batch``): every task that is due, then return.

    Needs a test that really commits (``django_db(transaction=True)``). The worker compares
    ``run_after`` with the real time, not with a frozen clock, so a task queued for a day that is
    already past in real time runs now, under whatever the test's clock says. Fails the test if
    any task raised."""
    from django_tasks_db.models import DBTaskResult

    saved = {s: signal.getsignal(s) for s in _SIGNALS}  # the worker installs its own handlers
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0",
                     verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
    failed = list(DBTaskResult.objects.failed().values_list("task_path", "traceback"))
    assert not failed, failed


GENERIC = "status-changed"
GENERIC_SUBJECTS = ("News about your repair", "您的维修单有新进展")


def occasion_notifications():
    """Notifications other than the step-by-step news every case sends (booked, received …), for
    tests about one particular occasion."""
    from aftersales.notifications.models import Notification

    return Notification.objects.exclude(template=GENERIC)


def occasion_mail(messages) -> list:
    """The received e-mails, less the step-by-step news."""
    return [m for m in messages if not str(m["Subject"]).strip().startswith(GENERIC_SUBJECTS)]

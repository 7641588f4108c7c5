"""Sending a message: claimed by one worker in a short transaction, delivered holding no row lock
while the report is rendered and the mail server answers, recorded in a second short
transaction; a claim whose worker died is taken again a lease later (by the send task run again,
or by ``notifications-sweep``); failures are kept and retried."""

import datetime as dt
import io
import socket
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from aftersales.core import clock
from aftersales.notifications.conftest import NOW, book, make_ready
from aftersales.notifications.models import Delivery, Notification
from aftersales.notifications.services import LEASE, MAX_ATTEMPTS, notification_send
from aftersales.notifications.tasks import send_notification
from aftersales.notifications.testing import occasion_mail, occasion_notifications

pytestmark = pytest.mark.django_db(transaction=True)

SEND_TASK = "aftersales.notifications.tasks.send_notification"
WAIT = 30  # seconds; far more than any step here takes


class Worker(threading.Thread):
    """A worker sending one notification in a thread of its own, on its own database connection,
    after ``barrier`` when given (to start together with another worker)."""

    def __init__(self, notification_id: int, barrier: threading.Barrier | None = None):
        super().__init__(daemon=True)
        self.notification_id, self.barrier, self.outcome = notification_id, barrier, None

    def run(self):
        try:
            if self.barrier:
                self.barrier.wait(WAIT)
            self.outcome = notification_send(notification_id=self.notification_id, now=NOW)
        finally:
            connection.close()


def first_to_finish(workers: list[Worker]) -> Worker:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        done = [w for w in workers if not w.is_alive()]
        if done:
            return done[0]
        time.sleep(0.01)
    raise AssertionError(f"no worker finished within {WAIT} s")


def sweep() -> str:
    out = io.StringIO()
    call_command("notifications-sweep", stdout=out)
    return out.getvalue().strip()


def collect_ready_message() -> Notification:
    """The collect-ready e-mail of a case made ready: it carries the repair report (PDF)."""
    make_ready(book())
    notification = occasion_notifications().get()
    assert notification.attach_report and notification.status == Delivery.PENDING
    return notification


@pytest.mark.postgres_only
def test_while_the_mail_server_takes_its_time_another_connection_can_lock_the_message_row(
        shop, held_smtp_server):
    notification = collect_ready_message()
    worker = Worker(notification.pk)
    worker.start()
    assert held_smtp_server.first_arrived.wait(WAIT)  # report rendered, the server holding its answer

    with transaction.atomic():  # NOWAIT: fails at once if any transaction holds the row's lock
        row = Notification.objects.select_for_update(nowait=True).get(pk=notification.pk)
    held_smtp_server.gate.set()
    worker.join(WAIT)

    assert (row.status, row.claimed_at, row.attempts) == (Delivery.SENDING, NOW, 1)
    assert worker.outcome == "sent" and len(held_smtp_server.received) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.sent_at) == (Delivery.SENT, NOW)


def test_a_second_worker_finds_the_message_being_sent_and_sends_nothing(shop, held_smtp_server):
    notification = collect_ready_message()
    first = Worker(notification.pk)
    first.start()
    assert held_smtp_server.first_arrived.wait(WAIT)

    second = notification_send(notification_id=notification.pk, now=NOW)
    held_smtp_server.gate.set()
    first.join(WAIT)

    assert (first.outcome, second) == ("sent", "in-progress")
    assert len(held_smtp_server.received) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Delivery.SENT, 1)


@pytest.mark.postgres_only
def test_two_workers_claiming_the_same_message_at_the_same_moment_send_it_once(shop, held_smtp_server):
    notification = collect_ready_message()
    barrier = threading.Barrier(2)
    workers = [Worker(notification.pk, barrier) for _ in range(2)]
    for w in workers:
        w.start()
    assert held_smtp_server.first_arrived.wait(WAIT)  # one of them is delivering …
    loser = first_to_finish(workers)  # … and the other gave up while the server held its answer
    held_smtp_server.gate.set()
    for w in workers:
        w.join(WAIT)

    assert loser.outcome == "in-progress"
    assert sorted(w.outcome for w in workers) == ["in-progress", "sent"]
    assert len(held_smtp_server.received) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Delivery.SENT, 1)


def test_a_claim_whose_worker_stopped_answering_is_taken_again_a_lease_later_and_sent_once(
        shop, held_smtp_server):
    notification = collect_ready_message()
    held_smtp_server.refuse_first = True
    stuck = Worker(notification.pk)
    stuck.start()
    assert held_smtp_server.first_arrived.wait(WAIT)  # the worker waits on the mail server: it may be dead

    early = notification_send(notification_id=notification.pk, now=NOW + LEASE - dt.timedelta(seconds=1))
    with clock.frozen(NOW + LEASE):
        swept = sweep()
        swept_again = sweep()
    held_smtp_server.gate.set()  # the stuck worker comes back, its message refused
    stuck.join(WAIT)

    assert (early, swept, swept_again) == ("in-progress", "1 lapsed (sent 1)", "0 lapsed")
    assert stuck.outcome == "claim-lost"  # its result is not recorded over the later claim's
    assert len(held_smtp_server.received) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.sent_at) == (
        Delivery.SENT, 2, NOW + LEASE)


def test_the_send_task_run_after_the_lease_takes_a_dead_workers_claim_again(shop, smtp_server):
    notification = collect_ready_message()
    # As a worker that died mid-send left it: claimed at NOW, no result.
    Notification.objects.filter(pk=notification.pk).update(
        status=Delivery.SENDING, claimed_at=NOW, attempts=1)

    with clock.frozen(NOW + LEASE - dt.timedelta(seconds=1)):
        within = send_notification.call(notification.pk)
    with clock.frozen(NOW + LEASE):
        after = send_notification.call(notification.pk)

    assert (within, after) == ("in-progress", "sent")
    assert len(occasion_mail(smtp_server)) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Delivery.SENT, 2)


def test_the_sweep_leaves_waiting_failed_and_sent_messages_alone(shop, smtp_server):
    notification = collect_ready_message()
    with clock.frozen(NOW + LEASE):
        while_waiting = sweep()
    Notification.objects.filter(pk=notification.pk).update(
        status=Delivery.FAILED, attempts=1, error="SMTPServerDisconnected: Connection unexpectedly closed")
    with clock.frozen(NOW + LEASE):
        after_failure = sweep()
    assert notification_send(notification_id=notification.pk, now=NOW + LEASE) == "sent"
    with clock.frozen(NOW + 3 * LEASE):
        after_sending = sweep()

    assert (while_waiting, after_failure, after_sending) == ("0 lapsed", "0 lapsed", "0 lapsed")
    assert len(occasion_mail(smtp_server)) == 1


def test_a_message_failing_its_last_attempt_is_kept_failed_and_not_tried_again(shop, settings):
    notification = collect_ready_message()
    Notification.objects.filter(pk=notification.pk).update(status=Delivery.FAILED, attempts=MAX_ATTEMPTS - 1)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    queued = DBTaskResult.objects.filter(task_path=SEND_TASK).count()

    assert notification_send(notification_id=notification.pk, now=NOW) == "failed"

    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.sent_at) == (
        Delivery.FAILED, MAX_ATTEMPTS, None)
    assert "Connection" in notification.error
    assert DBTaskResult.objects.filter(task_path=SEND_TASK).count() == queued

"""Telling the customer: written with the change, sent after commit, once, in their language,
by e-mail through a real SMTP server or by text message."""

import datetime as dt
import logging
import re
import socket

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from aftersales.core import clock
from aftersales.core.money import Money
from aftersales.notifications.compose import Words, compose, day_text, language_of, money_text
from aftersales.notifications.conftest import NOW, book, make_ready
from aftersales.notifications.models import Channel, Delivery, Notification
from aftersales.notifications.services import RETRY_AFTER, notification_send, notify, status_change_notify
from aftersales.notifications.sms import SmsSender
from aftersales.notifications.tasks import send_notification
from aftersales.notifications.testing import occasion_mail, occasion_notifications, run_due_tasks
from aftersales.repairs.models import CaseEvent
from aftersales.repairs.numbers import display
from aftersales.repairs.services import case_move
from aftersales.repairs.status import Status
from aftersales.repairs.testing import drive, staff_member

HOTLINE = "400-600-6655"  # home desktops, pack cn-desktop
SEND_TASK = "aftersales.notifications.tasks.send_notification"


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language, subject, keep_until, fee", [
    ("zh-hans", "您的产品已可取回", "2025年5月1日", "5.00 元"),
    ("en", "Your device is ready to collect", "1 May 2025", "CNY 5.00"),
])
def test_a_case_reaching_ready_sends_one_collect_ready_email_in_the_customers_language(
        shop, smtp_server, language, subject, keep_until, fee):
    with clock.frozen(NOW):
        case = book(language=language)
        make_ready(case)
        queued = occasion_notifications().get()
        assert occasion_mail(smtp_server) == [] and queued.status == Delivery.PENDING  # queued, not sent
        run_due_tasks()

    [message] = occasion_mail(smtp_server)
    body = text_of(message)
    assert message["To"] == "li.lei@example.com" and message.envelope_to == ["li.lei@example.com"]
    # Django folds a long encoded subject onto the next line; the reader strips the fold.
    assert str(message["Subject"]).strip().startswith(subject) and display(case.number) in message["Subject"]
    assert keep_until in body and fee in body and HOTLINE in body and display(case.number) in body
    assert "{" not in body and "}" not in body
    html = message.get_body(preferencelist=("html",))
    assert f'lang="{"zh-Hans" if language == "zh-hans" else "en"}"' in html.get_content()
    notification = occasion_notifications().get()
    assert (notification.key, notification.status, notification.attempts) == (
        f"{case.number}:collect-1", Delivery.SENT, 1)
    assert notification.sent_at == NOW
    [report] = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert report.get_filename() == f"repair-report-{case.number}.pdf"
    assert report.get_content().startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transition_sends_nothing(shop, smtp_server):
    with clock.frozen(NOW):
        case = book()
        case_move(number=case.number, to=Status.RECEIVED, actor=staff_member(), now=NOW)
        queued = DBTaskResult.objects.count()
        with pytest.raises(RuntimeError), transaction.atomic():
            drive(case, Status.READY, now=NOW)
            raise RuntimeError("something later in the same request failed")
        run_due_tasks()

    assert occasion_mail(smtp_server) == []
    assert not occasion_notifications().exists() and DBTaskResult.objects.count() == queued
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


@pytest.mark.django_db(transaction=True)
def test_running_the_send_task_twice_delivers_one_message(shop, smtp_server):
    with clock.frozen(NOW):
        make_ready(book())
        notification = occasion_notifications().get()
        assert send_notification.call(notification.pk) == "sent"
        assert send_notification.call(notification.pk) == "already-sent"
        run_due_tasks()  # the copy queued at commit finds it sent

    assert len(occasion_mail(smtp_server)) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Delivery.SENT, 1)
    [queued_copy] = [r for r in DBTaskResult.objects.filter(task_path=SEND_TASK)
                     if r.args_kwargs["args"] == [notification.pk]]
    assert queued_copy.return_value == "already-sent"


def test_writing_the_same_occasion_twice_keeps_one_message_and_queues_one_send(
        shop, django_capture_on_commit_callbacks):
    case = book()
    queued = DBTaskResult.objects.filter(task_path=SEND_TASK).count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = notify(case=case, template="status-changed", key=f"{case.number}:x",
                       context={"summary": Words("Hello.", "您好。")}, now=NOW)
        second = notify(case=case, template="status-changed", key=f"{case.number}:x",
                        context={"summary": Words("Other.", "其他。")}, now=NOW)
    assert first.pk == second.pk and Notification.objects.filter(key=f"{case.number}:x").count() == 1
    assert len(callbacks) == 1 and DBTaskResult.objects.filter(task_path=SEND_TASK).count() == queued + 1


def test_an_sms_only_customer_gets_the_message_through_the_sms_sender(
        shop, smtp_server, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.INFO, logger="aftersales.sms")
    with django_capture_on_commit_callbacks(execute=True):
        case = make_ready(book(email="", phone="13912345678"))
    notification = occasion_notifications().get()
    assert (notification.channel, notification.recipient, notification.body_html) == (
        Channel.SMS, "13912345678", "")

    assert send_notification.call(notification.pk) == "sent"

    [record] = [r for r in caplog.records if r.name == "aftersales.sms"]
    assert "13912345678" in record.getMessage() and display(case.number) in record.getMessage()
    assert "您的产品已可取回" in record.getMessage() and HOTLINE in record.getMessage()
    assert occasion_mail(smtp_server) == []
    notification.refresh_from_db()
    assert notification.status == Delivery.SENT


class RecordingGateway(SmsSender):
    sent: list[tuple[str, str]] = []

    def send(self, to: str, text: str) -> None:
        RecordingGateway.sent.append((to, text))


def test_a_real_sms_gateway_plugs_in_through_the_sms_backend_setting(shop, settings):
    settings.SMS_BACKEND = f"{__name__}.RecordingGateway"
    RecordingGateway.sent.clear()
    case = make_ready(book(email="", phone="13912345678", language="en"))

    assert notification_send(notification_id=occasion_notifications().get().pk, now=NOW) == "sent"

    [(to, text)] = RecordingGateway.sent
    assert to == "13912345678" and text.startswith("Your device is ready to collect")
    assert display(case.number) in text


def test_a_failed_delivery_is_kept_with_its_error_and_tried_again_later(
        shop, smtp_server, settings, django_capture_on_commit_callbacks):
    make_ready(book())
    notification = occasion_notifications().get()
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    working_port, settings.EMAIL_PORT = settings.EMAIL_PORT, closed_port

    with django_capture_on_commit_callbacks(execute=True):
        assert notification_send(notification_id=notification.pk, now=NOW) == "failed"

    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.sent_at) == (Delivery.FAILED, 1, None)
    assert "Connection" in notification.error
    retry = DBTaskResult.objects.get(task_path=SEND_TASK)
    assert retry.run_after == NOW + RETRY_AFTER and retry.args_kwargs["args"] == [notification.pk]

    settings.EMAIL_PORT = working_port
    assert notification_send(notification_id=notification.pk, now=NOW + RETRY_AFTER) == "sent"
    assert len(occasion_mail(smtp_server)) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Delivery.SENT, 2)


def test_a_status_change_is_told_in_the_words_of_its_timeline_event(shop):
    case = book()
    case_move(number=case.number, to=Status.RECEIVED, actor=staff_member(), now=NOW)
    event = CaseEvent.objects.filter(case=case, to_status=Status.RECEIVED).get()

    notification = status_change_notify(case=case, event=event, now=NOW)

    assert notification.key == f"{case.number}:event-{event.pk}"
    assert notification.subject.startswith("您的维修单有新进展")
    assert event.summary_zh in notification.body_text and HOTLINE in notification.body_text


TEMPLATES = ["collect-ready", "collect-reminder", "storage-fees-started", "disposal-review", "status-changed"]
# Reminders state facts; they never threaten (seed 000 fairness rules).
THREATS = re.compile(r"must|immediately|final (notice|warning)|legal action|penalt|or else|failure to|"
                     r"必须|立即|最后通知|法律行动|罚|否则|后果自负", re.IGNORECASE)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_message_reads_plainly_in_both_languages_with_the_hotline_and_no_threats(template, language):
    day = dt.date(2025, 5, 2)
    context = {"customer_name": "Li Lei", "number": "R7KM-9Q2T-5WX4", "model": "D700MA", "serial": "HD000123",
               "mail_in": False, "centre": Words("Shanghai Xuhui", "上海徐汇"), "centre_address": "88 Caoxi Road",
               "centre_phone": "021", "hotline": HOTLINE, "ready_on": dt.date(2025, 3, 3),
               "keep_until": dt.date(2025, 5, 1), "fees_from": day, "review_on": dt.date(2025, 6, 1),
               "daily_fee": Money("5.00", "CNY"), "so_far": Money("5.00", "CNY"),
               "clause": Words("We keep it free for 60 days.", "免费保管 60 天。"),
               "summary": Words("Your device is received.", "服务中心已收到产品。")}

    message = compose(template, language, context)

    assert message.subject and "\n" not in message.subject and "R7KM-9Q2T-5WX4" in message.subject
    assert HOTLINE in message.body_text and "Li Lei" in message.body_text
    assert "{" not in message.body_text and "\n\n\n" not in message.body_text
    assert not THREATS.search(message.subject + message.body_text)
    has_chinese = bool(re.search(r"[\u4e00-\u9fff]", message.subject + message.body_text))
    assert has_chinese == (language == "zh-hans")


def test_dates_and_amounts_are_written_for_the_reader():
    assert day_text(dt.date(2025, 5, 2), "en") == "2 May 2025"
    assert day_text(dt.date(2025, 5, 2), "zh-hans") == "2025年5月2日"
    assert money_text(Money("5", "CNY"), "en") == "CNY 5.00"
    assert money_text(Money("5", "CNY"), "zh-hans") == "5.00 元"
    assert money_text(Money("1", "CAD"), "zh-hans") == "1.00 加元"
    assert [language_of(code) for code in ("zh-hans", "zh", "en", "fr", "", None)] == [
        "zh-hans", "zh-hans", "en", "en", "en", "en"]

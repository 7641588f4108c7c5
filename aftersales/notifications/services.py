"""Writing and sending notifications.

``notify`` composes the message in the case's language, writes it in the caller's transaction
and, only once that transaction commits, queues the ``send_notification`` task: a change that is
rolled back tells nobody anything. The channel follows the contact details on the case: e-mail
when there is an address (plain text, with an HTML alternative), otherwise a text message to the
phone number carrying the subject line and the text.

``notification_send`` (run by the task) takes the row lock, sends only a message not yet sent,
and records the result; a failure is kept with its error and tried again later, up to
``MAX_ATTEMPTS`` times.
"""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction

from aftersales.notifications.compose import Words, compose, language_of
from aftersales.notifications.models import Channel, Delivery, Notification
from aftersales.notifications.sms import sms_sender
from aftersales.repairs.numbers import display
from aftersales.warranty.packs import packs_in_force

MAX_ATTEMPTS = 5
RETRY_AFTER = dt.timedelta(minutes=10)  # times the attempts made so far


def _hotline(case, day: dt.date) -> str:
    pack = packs_in_force().select(case.product_line, case.centre.region, day)
    line = pack.lines.get(case.product_line) if pack else None
    return line.hotline if line else case.centre.phone


def _case_context(case, now: dt.datetime) -> dict:
    centre = case.centre
    return {
        "customer_name": case.customer_name, "number": display(case.number), "model": case.model,
        "serial": case.serial, "mail_in": case.kind == "mail-in",
        "centre": Words(centre.name_en, centre.name_zh), "centre_address": centre.address,
        "centre_phone": centre.phone,
        "hotline": _hotline(case, now.astimezone(ZoneInfo(centre.timezone)).date()),
    }


def notify(*, case, template: str, key: str, context: dict, now: dt.datetime,
           attach_report: bool = False) -> Notification:
    """Write the message for occasion ``key`` (once: a second call returns the first row) and
    send it after the current transaction commits."""
    existing = Notification.objects.filter(key=key).first()
    if existing is not None:
        return existing
    language = language_of(case.language)
    channel, recipient = (Channel.EMAIL, case.email) if case.email else (Channel.SMS, case.phone)
    attach_report = attach_report and channel == Channel.EMAIL
    message = compose(template, language, {**_case_context(case, now), **context, "report_attached": attach_report})
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                key=key, case=case, template=template, channel=channel, recipient=recipient,
                language=language, subject=message.subject, body_text=message.body_text,
                body_html=message.body_html if channel == Channel.EMAIL else "", created_at=now,
                attach_report=attach_report)
    except IntegrityError:  # written meanwhile by a concurrent run for the same occasion
        return Notification.objects.get(key=key)
    transaction.on_commit(functools.partial(_queue, notification.pk))
    return notification


def status_change_notify(*, case, event, now: dt.datetime) -> Notification:
    """Tell the customer about one status change, in the words of its timeline event."""
    return notify(case=case, template="status-changed", key=f"{case.number}:event-{event.pk}",
                  context={"summary": Words(event.summary_en, event.summary_zh)}, now=now)


def _queue(notification_id: int, run_after: dt.datetime | None = None) -> None:
    from aftersales.notifications.tasks import send_notification

    task = send_notification.using(run_after=run_after) if run_after else send_notification
    task.enqueue(notification_id)


def _deliver(notification: Notification) -> None:
    if notification.channel == Channel.SMS:
        sms_sender().send(notification.recipient, f"{notification.subject}\n{notification.body_text}")
        return
    email = EmailMultiAlternatives(notification.subject, notification.body_text, to=[notification.recipient],
                                   headers={"Auto-Submitted": "auto-generated"})
    if notification.body_html:
        email.attach_alternative(notification.body_html, "text/html")
    if notification.attach_report and notification.case is not None:
        from aftersales.repairs.report import report_pdf

        email.attach(f"repair-report-{notification.case.number}.pdf",
                     report_pdf(notification.case, notification.language), "application/pdf")
    email.send(fail_silently=False)


@transaction.atomic
def notification_send(*, notification_id: int, now: dt.datetime) -> str:
    """Send one notification unless it was sent already. Returns what happened."""
    notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
    if notification is None:
        return "missing"
    if notification.status == Delivery.SENT:
        return "already-sent"
    notification.attempts += 1
    try:
        _deliver(notification)
    except Exception as exc:  # any transport error: record it, try again later
        notification.status = Delivery.FAILED
        notification.error = f"{type(exc).__name__}: {exc}"[:2000]
        notification.save(update_fields=["status", "attempts", "error"])
        if notification.attempts < MAX_ATTEMPTS:
            retry_at = now + RETRY_AFTER * notification.attempts
            transaction.on_commit(functools.partial(_queue, notification.pk, retry_at))
        return "failed"
    notification.status = Delivery.SENT
    notification.sent_at = now
    notification.save(update_fields=["status", "attempts", "sent_at"])
    return "sent"

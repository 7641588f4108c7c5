"""Writing and sending notifications.

``notify`` composes the message in the case's language, writes it in the caller's transaction
and, only once that transaction commits, queues the ``send_notification`` task: a change that is
rolled back tells nobody anything. The channel follows the contact details on the case: e-mail
when there is an address (plain text, with an HTML alternative), otherwise a text message to the
phone number carrying the subject line and the text.

``notification_send`` (run by the task) sends a message in three steps, so that no row lock is
held while the repair report is rendered and the mail server answers: it claims the message in a
short transaction (``sending``, with the claim's time; one worker at a time can claim it, so a
message is sent once however many workers run the task at once), delivers it outside any
transaction, and records the result in a second short transaction. A failure is kept with its
error and tried again later, up to ``MAX_ATTEMPTS`` times. A claim lapses a ``LEASE`` after it
was made: if the worker that claimed the message died before recording the result, the next run
of the send task for it, or ``aftersales notifications-sweep``, claims it again and sends it.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from zoneinfo import ZoneInfo

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from aftersales.core.slots import Slot, TaskSlot
from aftersales.notifications.compose import Words, compose, language_of
from aftersales.notifications.models import Channel, Delivery, Notification
from aftersales.notifications.sms import sms_sender
from aftersales.warranty.packs import packs_in_force

logger = logging.getLogger(__name__)

# The sending task (``notifications.tasks.send_notification``) calls this module: it registers
# itself here instead of being imported.
SEND = TaskSlot("send a notification")
# The repair report PDF (``repairs.report.report_pdf``, registered by the repairs app), rendered
# when a message that carries it is sent, so that it shows the case as it then stands.
REPAIR_REPORT = Slot("render a case's repair report")
MAX_ATTEMPTS = 5
RETRY_AFTER = dt.timedelta(minutes=10)  # times the attempts made so far
# A claim lapses this long after it was made: its worker is taken to have died. A delivery ends
# well within it (rendering the report takes seconds; EMAIL_TIMEOUT bounds each step of the SMTP
# exchange, and a text-message gateway must bound its calls likewise), so a worker that is
# merely slow never sees its message claimed again.
LEASE = dt.timedelta(minutes=15)


def _hotline(case, day: dt.date) -> str:
    pack = packs_in_force().select(case.product_line, case.centre.region, day)
    line = pack.lines.get(case.product_line) if pack else None
    return line.hotline if line else case.centre.phone


def _case_context(case, now: dt.datetime) -> dict:
    centre = case.centre
    return {
        "customer_name": case.customer_name, "number": case.display_number, "model": case.model,
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
    return _keep(key=key, case=case, template=template, channel=channel, recipient=recipient, language=language,
                 subject=message.subject, body_text=message.body_text,
                 body_html=message.body_html if channel == Channel.EMAIL else "", created_at=now,
                 attach_report=attach_report)


def staff_notify(*, case, user, template: str, key: str, context: dict, now: dt.datetime) -> Notification | None:
    """Write an e-mail about ``case`` to one member of staff, in their preferred language, and send
    it after the current transaction commits (once per ``key``); None when they have no address."""
    if not user.email:
        return None
    existing = Notification.objects.filter(key=key).first()
    if existing is not None:
        return existing
    language = language_of(user.preferred_language)
    message = compose(template, language, {**_case_context(case, now), **context, "report_attached": False})
    return _keep(key=key, case=case, template=template, channel=Channel.EMAIL, recipient=user.email,
                 language=language, subject=message.subject, body_text=message.body_text,
                 body_html=message.body_html, created_at=now)


def staff_alert(*, user, template: str, key: str, context: dict, now: dt.datetime) -> Notification | None:
    """Write an e-mail to one member of staff about work that is not a repair case (a late
    dispute, say), in their preferred language, once per ``key``; None when they have no address."""
    if not user.email:
        return None
    return address_notify(email=user.email, language=user.preferred_language, template=template, key=key,
                          context=context, now=now)


def address_notify(*, email: str, language: str, template: str, key: str, context: dict, now: dt.datetime,
                   case=None) -> Notification:
    """Write an e-mail to ``email`` in ``language`` for occasion ``key`` (once) and send it after
    the current transaction commits: for messages to someone known by their address rather than
    by a case's contact details (a dispute's acknowledgement and letters)."""
    return person_notify(key=key, email=email, phone="", language=language, template=template,
                         context={**context, "report_attached": False}, now=now, case=case)


def person_notify(*, key: str, email: str, phone: str, language: str, template: str, context: dict,
                  now: dt.datetime, case=None) -> Notification:
    """Write a message to a customer who has no repair case (e.g. a self-repair order), by e-mail
    when there is an address, else by text message, and send it after the current transaction
    commits (once per ``key``)."""
    if (existing := Notification.objects.filter(key=key).first()) is not None:
        return existing
    language = language_of(language)
    channel, recipient = (Channel.EMAIL, email) if email else (Channel.SMS, phone)
    message = compose(template, language, context)
    return _keep(key=key, case=case, template=template, channel=channel, recipient=recipient, language=language,
                 subject=message.subject, body_text=message.body_text,
                 body_html=message.body_html if channel == Channel.EMAIL else "", created_at=now)


def _keep(*, key: str, **fields) -> Notification:
    try:
        with transaction.atomic():
            notification = Notification.objects.create(key=key, **fields)
    except IntegrityError:  # written meanwhile by a concurrent run for the same occasion
        return Notification.objects.get(key=key)
    transaction.on_commit(functools.partial(_queue, notification.pk))
    return notification


def status_change_notify(*, case, event, now: dt.datetime) -> Notification:
    """Tell the customer about one status change, in the words of its timeline event."""
    return notify(case=case, template="status-changed", key=f"{case.number}:event-{event.pk}",
                  context={"summary": Words(event.summary_en, event.summary_zh)}, now=now)


def _queue(notification_id: int, run_after: dt.datetime | None = None) -> None:
    SEND.enqueue(notification_id, run_after=run_after)


def _deliver(notification: Notification) -> None:
    if notification.channel == Channel.SMS:
        sms_sender().send(notification.recipient, f"{notification.subject}\n{notification.body_text}")
        return
    email = EmailMultiAlternatives(notification.subject, notification.body_text, to=[notification.recipient],
                                   headers={"Auto-Submitted": "auto-generated"})
    if notification.body_html:
        email.attach_alternative(notification.body_html, "text/html")
    if notification.attach_report and notification.case is not None:
        email.attach(f"repair-report-{notification.case.number}.pdf",
                     REPAIR_REPORT(notification.case, notification.language), "application/pdf")
    email.send(fail_silently=False)


def notification_send(*, notification_id: int, now: dt.datetime) -> str:
    """Send one notification unless it was sent already or another worker is sending it.
    Returns what happened: sent, failed, already-sent, in-progress, waiting, missing, or
    claim-lost (the claim lapsed and was taken again before the result came back).

    Deliberately not one transaction (see the module's overview): run it outside one, or the
    claim's row lock lasts as long as the caller's transaction."""
    notification = _claim(notification_id, now, _claimable(now))
    if notification is None:
        return _unclaimed(notification_id)
    return _deliver_and_record(notification, now)


def notification_retake(*, notification_id: int, now: dt.datetime) -> str:
    """Send the notification only when its claim lapsed, i.e. the worker that claimed it died
    before recording the result (``notifications-sweep`` runs it). Returns as
    ``notification_send``."""
    notification = _claim(notification_id, now, _lapsed(now))
    if notification is None:
        return _unclaimed(notification_id)
    return _deliver_and_record(notification, now)


def notifications_lapsed(*, now: dt.datetime) -> list[int]:
    """The notifications whose claim lapsed by ``now``, oldest claim first."""
    lapsed = Notification.objects.filter(_lapsed(now)).order_by("claimed_at", "pk")
    return list(lapsed.values_list("pk", flat=True))


def _lapsed(now: dt.datetime) -> Q:
    return Q(status=Delivery.SENDING, claimed_at__lte=now - LEASE)


def _claimable(now: dt.datetime) -> Q:
    return Q(status__in=[Delivery.PENDING, Delivery.FAILED]) | _lapsed(now)


def _claim(notification_id: int, now: dt.datetime, claimable: Q) -> Notification | None:
    """Marks the notification as being sent from ``now`` if ``claimable`` says it may be, in one
    short transaction. Between workers claiming at once the database decides: the UPDATE's
    condition is checked again on the row as the first of them left it, so only one changes it.
    ``attempts`` counts the claims and so names this one."""
    with transaction.atomic():
        claimed = Notification.objects.filter(claimable, pk=notification_id).update(
            status=Delivery.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        return Notification.objects.get(pk=notification_id) if claimed else None


def _unclaimed(notification_id: int) -> str:
    """Why a notification was not claimed, from its status."""
    status = Notification.objects.filter(pk=notification_id).values_list("status", flat=True).first()
    why = {None: "missing", Delivery.SENT: "already-sent", Delivery.SENDING: "in-progress"}
    return why.get(status, "waiting")  # waiting or failed: for its own send task, or its retry


def _deliver_and_record(notification: Notification, now: dt.datetime) -> str:
    try:
        _deliver(notification)
    except Exception as exc:  # any transport or rendering error: record it, try again later
        return _record(notification, now, error=f"{type(exc).__name__}: {exc}"[:2000])
    return _record(notification, now, error=None)


@transaction.atomic
def _record(notification: Notification, now: dt.datetime, *, error: str | None) -> str:
    """The result, in a second short transaction, if the claim is still this one (a claim taken
    again after the lease counted one more attempt): otherwise the later claim's worker records."""
    mine = Notification.objects.filter(pk=notification.pk, status=Delivery.SENDING,
                                       attempts=notification.attempts)
    recorded = (mine.update(status=Delivery.SENT, sent_at=now) if error is None
                else mine.update(status=Delivery.FAILED, error=error))
    if not recorded:
        logger.warning("notification %s: delivery %s ended after its claim lapsed and was taken again (%s); "
                       "the later claim records the result", notification.pk, notification.attempts,
                       error or "delivered")
        return "claim-lost"
    if error is None:
        return "sent"
    if notification.attempts < MAX_ATTEMPTS:
        retry_at = now + RETRY_AFTER * notification.attempts
        transaction.on_commit(functools.partial(_queue, notification.pk, retry_at))
    return "failed"

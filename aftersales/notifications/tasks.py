"""Background tasks of the notifications app (django-tasks; run by ``db_worker``)."""

from django_tasks import task

from aftersales.core import clock
from aftersales.notifications.services import SEND, notification_send


@SEND.register
@task()
def send_notification(notification_id: int) -> str:
    """Send one notification; running it again after it was sent does nothing."""
    return notification_send(notification_id=notification_id, now=clock.now())

"""Who is told about a new message, and how: written in the message's transaction and sent after
it commits (``notifications``), each reader in their own language.

- A message from the centre goes to the customer, by e-mail (or a text message when the case has
  only a phone number), in the language the case was booked in, with a link to the case page to
  read the files and reply.
- A message from the customer goes by e-mail to the staff and technicians of the case's centre,
  each in the language they chose for themselves.
- An internal note goes to nobody.

The text itself goes out as it was written: nobody translates a person's words; the message
around it is in the reader's language.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from aftersales.accounts.roles import Role
from aftersales.conversation.models import AuthorKind, Message
from aftersales.notifications.services import notify, staff_notify

CASE_READERS = (Role.STAFF, Role.TECHNICIAN)  # the staff-side roles told of a customer's message


def message_notify(message: Message, *, now: dt.datetime) -> None:
    if message.internal:
        return
    context = {"body": message.body, "files": [e.original_name for e in message.attachments.all()],
               "quote": message.quote}
    case = message.case
    if message.author_kind == AuthorKind.STAFF:
        notify(case=case, template="message-to-customer", key=f"{case.number}:message-{message.pk}", now=now,
               context={**context, "link": _link("portal:case", case.number)})
        return
    for user in centre_staff(case):
        staff_notify(case=case, user=user, template="message-to-staff", now=now,
                     key=f"{case.number}:message-{message.pk}:to-{user.pk}",
                     context={**context, "link": _link("console:case", case.number)})


def centre_staff(case) -> list:
    """The active staff and technicians of the case's centre who have an e-mail address."""
    users = get_user_model().objects.filter(centres=case.centre_id, groups__name__in=CASE_READERS, is_active=True)
    return list(users.exclude(email="").distinct().order_by("pk"))


def _link(name: str, number: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse(name, kwargs={'number': number})}"

"""Posting a message on a case: the only way a message is written.

``message_post`` checks the text, keeps each attached file as case evidence through the evidence
pipeline (``repairs.evidence.case_evidence_add``: type, size and pixel limits, metadata removed,
the file written only when the transaction commits), writes the message and its line on the
staff timeline, and writes the e-mails the other side is owed (``notices``), all in one
transaction: an empty or oversized message, a refused file or anything else that fails leaves no
message, no evidence row and no stored file behind, and sends nothing.

A message is at most ``MAX_BODY`` characters (20,000: longer than any letter people write; a
longer text goes as an attached PDF) and carries at most ``EVIDENCE_MAX_FILES_PER_FIELD`` files.
Staff-side authors must be allowed ``message.write`` and work at the case's centre; a customer's
right to the case (its number with the contact on file, or the account that booked it) is checked
where they come in, by the portal, before it calls this service.

A note for the customer given with a status move goes into the conversation too
(``case_move_noted``): one place for everything the centre tells the customer in its own words.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from aftersales.accounts.roles import require, user_can
from aftersales.conversation import notices
from aftersales.conversation.models import AuthorKind, Message, Visibility
from aftersales.core.errors import AppError
from aftersales.evidence.models import EvidenceKind
from aftersales.evidence.services import uploads_within_limit
from aftersales.notifications.compose import language_of
from aftersales.repairs import events
from aftersales.repairs.evidence import case_evidence_add
from aftersales.repairs.models import Case, EventKind
from aftersales.repairs.services import case_move, refuse_out_of_reach

MAX_BODY = 20_000
_TIMELINE = {  # the line each message leaves on the staff timeline (never shown to the customer)
    (AuthorKind.CUSTOMER, Visibility.CUSTOMER): (EventKind.CUSTOMER_MESSAGE, "The customer wrote a message.",
                                                 "客户发来一条消息。"),
    (AuthorKind.STAFF, Visibility.CUSTOMER): (EventKind.NOTE, "A message was sent to the customer.",
                                              "已向客户发送一条消息。"),
    (AuthorKind.STAFF, Visibility.INTERNAL): (EventKind.NOTE, "An internal note was added.", "已添加一条内部备注。"),
}


@transaction.atomic
def message_post(*, case: Case, author_kind: str, actor, body: str, now: dt.datetime, language: str,
                 files: list | tuple = (), internal: bool = False, about: str = "", quote: str = "") -> Message:
    """Write a message on ``case`` from the centre's staff or from the customer, with ``files``
    (uploaded files) attached, and the e-mail to the other side. ``internal``: a staff note that
    the customer never sees and is not told about. ``about``/``quote``: what the customer did not
    understand, in the words they were shown."""
    body = _checked_body(body)
    visibility = _checked_visibility(author_kind, internal)
    if author_kind == AuthorKind.STAFF:
        require(actor, "message.write")
        refuse_out_of_reach(case, actor)
    uploads_within_limit(list(files))
    message = Message.objects.create(
        case=case, author_kind=author_kind, author=actor if getattr(actor, "is_authenticated", False) else None,
        body=body, created_at=now, language=language_of(language), visibility=visibility,
        about=about[:64], quote=(quote or "").strip()[:MAX_BODY])
    message.attachments.set(_attached(message, files, actor, now))
    kind, en, zh = _TIMELINE[(author_kind, visibility)]
    events.record(case, kind, at=now, actor=actor, en=en, zh=zh, visible=False, data={"message": message.pk})
    notices.message_notify(message, now=now)
    return message


def _checked_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise AppError("empty-message", "Write your message before sending it.", "请先填写消息内容再发送。",
                       field="body")
    if len(body) > MAX_BODY:
        raise AppError("message-too-long",
                       f"This message is {len(body):,} characters long; a message holds at most {MAX_BODY:,}. "
                       f"Send the rest in a second message, or attach it as a PDF.",
                       f"此消息共 {len(body)} 个字符，单条消息最多 {MAX_BODY} 个字符。"
                       f"请将其余内容分条发送，或保存为 PDF 作为附件发送。", field="body")
    return body


def _checked_visibility(author_kind: str, internal: bool) -> str:
    if author_kind not in AuthorKind.values:
        raise ValueError(f"a message is written by staff or the customer, not {author_kind!r}")
    if internal and author_kind != AuthorKind.STAFF:
        raise ValueError("only staff keep internal notes")
    return Visibility.INTERNAL if internal else Visibility.CUSTOMER


def _attached(message: Message, files, actor, now: dt.datetime) -> list:
    """Each file kept as evidence of the case: the customer's as their own files, the centre's as
    "other" evidence shown to the customer exactly when the message is."""
    customer = message.author_kind == AuthorKind.CUSTOMER
    kind = EvidenceKind.CUSTOMER if customer else EvidenceKind.OTHER
    return [case_evidence_add(case=message.case, kind=kind, upload=upload, actor=actor, now=now,
                              name=getattr(upload, "name", "") or "", customer_visible=not message.internal,
                              description="").evidence
            for upload in files]


@transaction.atomic
def case_move_noted(*, number: str, to: str, actor, now: dt.datetime, language: str, expected: str | None = None,
                    note: str = "") -> Case:
    """A status button with a note for the customer: the move (``repairs.services.case_move``),
    and the note as the centre's message in the case's conversation, in one transaction, so the
    customer reads it where they reply to it. Someone who moves cases but does not write to
    customers (an administrator cancelling a booking) keeps the note on the status line instead."""
    note = (note or "").strip()
    if note and not user_can(actor, "message.write"):
        return case_move(number=number, to=to, actor=actor, now=now, expected=expected, note=note)
    case = case_move(number=number, to=to, actor=actor, now=now, expected=expected)
    if note:
        message_post(case=case, author_kind=AuthorKind.STAFF, actor=actor, body=note, now=now, language=language)
    return case

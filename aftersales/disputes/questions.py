"""Waiting for the customer: a question from executive care pauses the dispute's clocks, and the
customer's answer starts them again.

``dispute_ask`` e-mails the customer the question in their language, keeps it among the internal
notes and puts the dispute in the policy's pause state ("waiting for the customer"): the time we
wait for information we asked for does not count against the week. The customer answers in their
case's conversation on the portal (``customer_replied``, called when a customer's message is
written on a case), or by e-mail or telephone, which the agent records (``dispute_answer_received``).
Either way the dispute goes back into review and its clocks count on from that moment, keeping the
time consumed before the question.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from aftersales.conversation.models import AuthorKind, Message, Visibility
from aftersales.core.errors import AppError, Conflict
from aftersales.disputes.clocks import clocks_follow_state
from aftersales.disputes.models import Dispute, DisputeNote, State
from aftersales.disputes.services import MAX_TEXT, locked_dispute, under_review
from aftersales.notifications.services import address_notify


def _question(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise AppError("missing-field", "Write the question first.", "请先填写要询问的问题。", field="question")
    if len(text) > MAX_TEXT:
        raise AppError("text-too-long", f"A question holds at most {MAX_TEXT:,} characters.",
                       f"问题最多 {MAX_TEXT} 个字符。", field="question")
    return text


@transaction.atomic
def dispute_ask(*, number: str, question: str, actor, now: dt.datetime) -> Dispute:
    """Ask the customer for information: e-mail the question and pause the clocks until they answer."""
    dispute = locked_dispute(number, actor=actor)
    text = _question(question)
    note = DisputeNote.objects.create(dispute=dispute, author=actor, text=text, at=now, to_customer=True)
    address_notify(email=dispute.email, language=dispute.language, template="dispute-question",
                   key=f"{dispute.number}:question:{note.pk}", case=dispute.case, now=now, context={
                       "customer_name": dispute.customer_name, "number": dispute.display_number,
                       "question": text, "on_portal": dispute.case is not None})
    dispute.state = State.WAITING
    dispute.save(update_fields=["state"])
    clocks_follow_state(dispute=dispute, now=now)
    return dispute


@transaction.atomic
def dispute_answer_received(*, number: str, actor, now: dt.datetime) -> Dispute:
    """The customer answered by e-mail or telephone: the dispute is back in review."""
    dispute = locked_dispute(number, actor=actor)
    if dispute.state != State.WAITING:
        raise Conflict("not-waiting", "This dispute is not waiting for the customer.", "该争议并未在等待客户回复。")
    under_review(dispute, now)
    return dispute


def customer_replied(*, case, now: dt.datetime) -> int:
    """The customer wrote on ``case``: its disputes waiting for them go back into review."""
    waiting = list(Dispute.objects.select_for_update().filter(case=case, state=State.WAITING))
    for dispute in waiting:
        under_review(dispute, now)
    return len(waiting)


@receiver(post_save, sender=Message, dispatch_uid="disputes-customer-replied")
def _on_message(sender, instance: Message, created: bool, **kwargs) -> None:
    # The conversation app knows nothing of disputes; a customer's message is their answer.
    if created and instance.author_kind == AuthorKind.CUSTOMER and instance.visibility == Visibility.CUSTOMER:
        customer_replied(case=instance.case, now=instance.created_at)

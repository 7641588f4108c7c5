"""The customer's side of the conversation on their case page: a reply with files, and "I don't
understand" beside an explanation on the timeline, which starts a message quoting it (an empty
text then says so in the customer's own language). Only a visitor who opened the case may post
(``cases.opened_case``), and posts are rate-limited per address (``throttle``). A refusal — an
empty or oversized message, a refused file, too many posts — shows the case page again with the
text as typed and the reason beside the field; nothing is written."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.conversation.models import AuthorKind
from aftersales.conversation.services import message_post
from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.core.numbers import plain_number
from aftersales.core.ratelimit import with_retry_after
from aftersales.portal.case_forms import MessageForm
from aftersales.portal.cases import case_page, opened_case
from aftersales.portal.throttle import MESSAGES, throttle
from aftersales.repairs.models import Case


def unclear_about(case: Case, about: str, language: str) -> tuple[str, str]:
    """("event-12", the line's words as the customer was shown them) for a line of this case's
    timeline the customer sees; ("", "") for anything else."""
    kind, _sep, pk = (about or "").partition("-")
    pk = plain_number(pk, digits=18)  # an id the database can hold
    if kind != "event" or pk is None:
        return "", ""
    event = case.events.filter(pk=pk, customer_visible=True).first()
    return (f"event-{event.pk}", event.summary(language)) if event else ("", "")


@require_POST
def case_message(request, number: str):
    case = opened_case(request, number)
    language = get_language()
    form = MessageForm(request.POST, request.FILES)
    form.is_valid()  # every field is optional here: the service says what is missing
    data = form.cleaned_data
    about, quote = unclear_about(case, data.get("about", ""), language)
    body = data.get("body", "") or (_("I don't understand this. Please explain it to me.") if about else "")
    try:
        throttle(request, MESSAGES)
        message_post(case=case, author_kind=AuthorKind.CUSTOMER, actor=request.user, body=body,
                     files=data.get("files", []), now=clock.now(), language=language, about=about, quote=quote)
    except AppError as exc:
        form.add_app_error(exc, language)
        response = case_page(request, number, message_form=form)
        response.status_code = exc.status
        return with_retry_after(response, exc)
    messages.success(request, _("Thank you. Your message was sent to the service centre; we will answer "
                                "here and by e-mail."))
    return redirect(f"{request.path.removesuffix('message/')}#conversation")

""""I don't understand this" on the quotation page (reached by the signed link): a message from
the customer in the case's conversation, which the centre's staff are e-mailed about and answer
in the same thread. Beside each line the button asks about that line; under the lines it asks
about the quotation as a whole. The message quotes what the customer was shown — the quotation's
date, the line's words and its price, in the customer's language — so the person answering
knows exactly what was unclear; an empty text says "I don't understand this" in the customer's
words. Posts are rate-limited per address like every customer message (``throttle``); a refusal
shows the quotation again with the text as typed. The link alone still opens no case page.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.billing.models import Quotation
from aftersales.conversation.models import AuthorKind
from aftersales.conversation.services import message_post
from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.portal.cases import _quotation, _quotation_page, has_opened
from aftersales.portal.throttle import MESSAGES, throttle


def quotation_quote(q: Quotation, position: str, language: str) -> tuple[str, str]:
    """("quotation-7-line-2", the line as shown) for a line of the quotation; ("quotation-7",
    every line as shown) for anything else."""
    lines = {str(line.position): line for line in q.lines.all()}
    sent = {"date": q.case.day(q.sent_at).isoformat() if q.sent_at else ""}
    if position in lines:
        line = lines[position]
        return (f"quotation-{q.pk}-line-{line.position}",
                _("Quotation of %(date)s, line %(n)s:") % {**sent, "n": line.position} + "\n"
                + _line_words(line, q, language))
    words = "\n".join(f"{line.position}. {_line_words(line, q, language)}" for line in lines.values())
    return f"quotation-{q.pk}", _("Quotation of %(date)s:") % sent + "\n" + words


def _line_words(line, q: Quotation, language: str) -> str:
    text = (line.text_zh if language.startswith("zh") else line.text_en).strip()
    price = _("covered by the warranty, free") if line.covered else f"{line.price} {q.currency}"
    return f"{text} — {price}"


@require_POST
def quotation_unclear(request, token: str):
    q, closed = _quotation(request, token)
    if closed:
        return closed
    language = get_language()
    about, quote = quotation_quote(q, request.POST.get("line", ""), language)
    typed = request.POST.get("message", "")
    try:
        throttle(request, MESSAGES)
        message_post(case=q.case, author_kind=AuthorKind.CUSTOMER, actor=request.user, now=clock.now(),
                     body=typed.strip() or _("I don't understand this. Please explain it to me."),
                     language=language, about=about, quote=quote)
    except AppError as exc:
        return _quotation_page(request, q, token, {}, exc, unclear=typed)
    messages.success(request, _("Thank you. A person will call or write to explain the quotation."))
    if has_opened(request, q.case):
        return redirect("portal:case", number=q.case.number)
    return redirect("portal:quotation", token=token)

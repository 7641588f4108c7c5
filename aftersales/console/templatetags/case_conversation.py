"""``{% console_conversation case %}``: the case's whole conversation (internal notes included) as
one section of the console's case page, with the form to write to the customer or add a note.
It reads what it shows itself, so the case page holds it in one line; a refused post shows its
form again as it was filled in (``cases.conversation``)."""

from __future__ import annotations

from django import template

from aftersales.accounts.roles import user_can
from aftersales.console.cases.conversation import message_form
from aftersales.conversation.selectors import thread
from aftersales.conversation.services import MAX_BODY

register = template.Library()


@register.inclusion_tag("console/cases/_conversation.html", takes_context=True)
def console_conversation(context, case):
    request = context["request"]
    return {"case": case, "messages_": thread(case, customer_view=False), "form": message_form(request),
            "may_write": user_can(request.user, "message.write"), "max_body": MAX_BODY,
            "csrf_token": context.get("csrf_token")}

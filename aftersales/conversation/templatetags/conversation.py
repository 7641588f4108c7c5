"""The conversation on the customer's case page, as one tag: ``{% portal_conversation case form %}``
shows the thread without internal notes, the reply form, the customer's files and the centre's
files meant for them and, once the device is ready, where and when to collect it. It reads what
it shows itself, so the page that holds it needs one line (the console has its own tag,
``console/templatetags/case_conversation.py``)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from aftersales.conversation.selectors import collection, customer_files, thread
from aftersales.conversation.services import MAX_BODY
from aftersales.repairs.status import CLOSED

register = template.Library()


@register.inclusion_tag("conversation/_portal.html", takes_context=True)
def portal_conversation(context, case, form):
    own, centre = customer_files(case)
    return {"case": case, "form": form, "messages_": thread(case, customer_view=True), "own_files": own,
            "centre_files": centre, "collect": collection(case, language=get_language()),
            "closed": case.status in CLOSED, "max_body": MAX_BODY, "csrf_token": context.get("csrf_token")}


# Timeline lines that explain something to the customer, beside which "I don't understand" is
# offered; not the lines that only echo what the customer did themselves.
_OWN_DOING = frozenset({"booked", "evidence-added", "customer-message", "follow-up"})


@register.filter
def explains(event) -> bool:
    return event.kind not in _OWN_DOING

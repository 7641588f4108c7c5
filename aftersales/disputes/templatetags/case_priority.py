"""Priority given to a repair by executive care, shown wherever cases are listed or opened:
``{% priority_badge %}`` is the one mark every staff list puts beside an accelerated case (the
lists read the priority with their rows, ``selectors.accelerated``, and put those cases first);
``{% executive_care_notice case %}`` marks one case's page with its priority and its open
disputes, each with the day its answer is due."""

from __future__ import annotations

from django import template

from aftersales.accounts.roles import user_can
from aftersales.core import clock
from aftersales.disputes.models import CasePriority
from aftersales.disputes.selectors import OPEN
from aftersales.disputes.due import answer_due_day

register = template.Library()


@register.inclusion_tag("disputes/_priority_badge.html")
def priority_badge() -> dict:
    return {}


@register.inclusion_tag("disputes/_executive_care_notice.html", takes_context=True)
def executive_care_notice(context, case):
    disputes, now = case.disputes.filter(state__in=OPEN).order_by("filed_at", "id"), clock.now()
    return {"priority": CasePriority.objects.filter(case=case).select_related("dispute").first(),
            "disputes": [{"dispute": d, "due": answer_due_day(d, now)} for d in disputes],
            "may_work": user_can(context["request"].user, "dispute.work")}

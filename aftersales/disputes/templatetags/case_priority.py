"""Priority given to a repair by executive care, shown wherever cases are listed or opened:
``{% priority_cases rows as urgent %}`` reads, in one query, which of a queue page's cases have it
(``rows``: dicts with a ``case``, or cases); ``{% priority_notice case %}`` marks one case's page."""

from __future__ import annotations

from django import template

from aftersales.disputes.models import CasePriority
from aftersales.disputes.selectors import priority_cases as _priority_cases

register = template.Library()


@register.simple_tag
def priority_cases(rows) -> set[int]:
    return _priority_cases(getattr(r, "pk", None) or r["case"].pk for r in rows)


@register.inclusion_tag("disputes/_priority_notice.html")
def priority_notice(case):
    return {"priority": CasePriority.objects.filter(case=case).select_related("dispute").first()}

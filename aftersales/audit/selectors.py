"""Reading the audit's findings for the console: filtered by rule, review and source, in case
order, a page at a time."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

from aftersales.audit.models import AuditFinding

PAGE = 50


def findings_page(*, rule: str = "", review: str = "", source: str = "", page: int | str = 1) -> Page:
    found = AuditFinding.objects.order_by("case_number", "line_no", "rule")
    if rule:
        found = found.filter(rule=rule)
    if review:
        found = found.filter(review=review)
    if source:
        found = found.filter(source=source)
    return Paginator(found, PAGE).get_page(page)

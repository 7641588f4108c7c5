"""``{% portal_case_documents case %}`` and ``{% console_case_documents case request.user %}``: the
invoices and credit notes of a case, each with its PDF, on the customer's case page and on the
console's; nothing when the case has none, or (console) when the person may not read them."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from aftersales.accounts.roles import user_can
from aftersales.core.money import Money
from aftersales.invoicing.selectors import case_documents, is_credit_note
from aftersales.notifications.compose import day_text, language_of, money_text

register = template.Library()


def _rows(case) -> list[dict]:
    language = language_of(get_language())
    return [{"number": d.number, "credit": is_credit_note(d), "invoice": d.invoice.number if is_credit_note(d) else "",
             "issued_on": day_text(d.issued_on, language), "total": money_text(Money(d.total, d.currency), language)}
            for d in case_documents(case)]


@register.inclusion_tag("invoicing/_portal_documents.html")
def portal_case_documents(case) -> dict:
    return {"case": case, "documents": _rows(case)}


@register.inclusion_tag("invoicing/_console_documents.html")
def console_case_documents(case, user) -> dict:
    return {"case": case, "documents": _rows(case) if user_can(user, "invoice.view") else []}

"""``{% case_money case %}``: what the customer has been charged, has paid and still owes on the
case, and the deposits held for them, as the ledger holds them — for the customer's case page;
nothing while the books hold nothing for the case."""

from __future__ import annotations

from django import template

from aftersales.billing.case_money import case_money as money_of

register = template.Library()


@register.inclusion_tag("billing/_case_money.html")
def case_money(case):
    return {"money": money_of(case.number)}

"""``{% case_payments case %}``: what the customer has been charged, has paid and still owes on
the case, and the deposits held for them, read from the ledger — with the form to record a
payment taken at the counter for those who may take one. It reads what it shows itself, so the
case page holds it in one line."""

from __future__ import annotations

from django import template

from aftersales.accounts.roles import user_can
from aftersales.billing.case_money import case_money
from aftersales.console.cases.payments import payment_form

register = template.Library()


@register.inclusion_tag("console/cases/_money.html", takes_context=True)
def case_payments(context, case):
    request = context["request"]
    money = case_money(case.number)
    due = next((m for m in money if m.owed > 0), None)
    form = None
    if user_can(request.user, "payment.take"):
        form = getattr(request, "payment_form", None)  # refused in this request: as it was filled in
        if form is None and due is not None:
            form = payment_form(owed=due.owed, currency=due.currency)
    return {"case": case, "money": money, "form": form, "csrf_token": context.get("csrf_token")}

"""The case's money on the console's case page — charged, paid, owed and deposits held, as the
ledger holds them — and the post that records a payment taken at the counter.

The payment form carries a request key made when the form is shown: posting it twice (a double
click, a resent form) records one payment (``repairs.payments``).
"""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from aftersales.accounts.guards import action_required
from aftersales.console.cases.forms import CaseForm
from aftersales.console.cases.perform import perform
from aftersales.console.cases.scope import case_in_scope
from aftersales.repairs.payments import payment_take

KEY = "payment"
METHODS = (("cash", _lazy("Cash")), ("card", _lazy("Card")))


class PaymentForm(CaseForm):
    amount = forms.CharField(label=_lazy("Amount paid"), required=False, max_length=32)
    method = forms.ChoiceField(label=_lazy("Paid by"), choices=METHODS, initial="cash")
    currency = forms.CharField(widget=forms.HiddenInput)
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)


def payment_form(*, owed, currency: str) -> PaymentForm:
    """A fresh form for what is owed, with a new request key."""
    return PaymentForm(prefix=KEY, language=get_language(),
                       initial={"amount": owed, "currency": currency, "key": uuid.uuid4().hex, "method": "cash"})


@require_POST
@action_required("payment.take")
def payment(request, number: str):
    case = case_in_scope(request.user, number)
    form = PaymentForm(request.POST, prefix=KEY, language=get_language())
    request.payment_form = form  # shown again, with the refusal, if the post is refused

    def run(c, now):
        payment_take(number=case.number, amount=c["amount"], currency=c["currency"], method=c["method"],
                     key=c["key"], actor=request.user, now=now)

    return perform(request, case, KEY, form, run, anchor="money", done=_("Payment recorded."))

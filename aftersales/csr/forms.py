"""The self-repair forms of the portal: apply for a part, and open an order."""

from __future__ import annotations

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.portal.forms import DATE, AppErrorFormMixin
from aftersales.warranty.presentation import label
from aftersales.policy.vocabulary import PARTS


class ApplyForm(AppErrorFormMixin, forms.Form):
    serial = forms.CharField(label=_("Serial number"), max_length=32, strip=True,
                             help_text=_("Letters and digits on the label under the notebook."),
                             widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))
    part = forms.ChoiceField(label=_("Part to replace"), help_text=_("The one the diagnostic tool found faulty."))
    purchased_on = forms.CharField(label=_("Purchase date"), widget=DATE, help_text=_("As on your invoice."))
    customer_name = forms.CharField(label=_("Your name"), max_length=100, strip=True)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False, strip=True)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False, strip=True)
    address = forms.CharField(label=_("Shipping address"), max_length=500, strip=True,
                              widget=forms.Textarea(attrs={"rows": 3}))
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # The payment provider's page puts its token here (docs/payments.md); the built-in provider
    # needs none of the customer's details.
    payment_token = forms.CharField(widget=forms.HiddenInput, max_length=128, initial="local")
    error_fields = {"serial": "serial", "purchased_on": "purchased_on", "customer_name": "customer_name"}

    def __init__(self, *args, language: str, parts: tuple[str, ...], **kwargs):
        """``parts``: the parts the programme's terms in force send."""
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = [(p, label(PARTS, p, language)) for p in parts]
        if not self.is_bound:
            self.initial["request_key"] = secrets.token_urlsafe(24)
        self.describe_fields()


class FindForm(AppErrorFormMixin, forms.Form):
    number = forms.CharField(label=_("Self-repair number"), max_length=40, strip=True,
                             help_text=_("As in our e-mails, e.g. S7KM-9Q2T-5WX4."),
                             widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))
    contact = forms.CharField(label=_("E-mail or phone number"), max_length=120, strip=True,
                              help_text=_("The one you gave when you applied."))

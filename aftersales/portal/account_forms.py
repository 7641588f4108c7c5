"""Forms of the customer's account pages: sign in with a password, ask for a sign-in link."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.portal.forms import AppErrorFormMixin


class PasswordSignInForm(AppErrorFormMixin, forms.Form):
    login = forms.CharField(label=_("E-mail or user name"), max_length=254, strip=True,
                            widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none",
                                                          "spellcheck": "false"}))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe_fields()


class LinkRequestForm(AppErrorFormMixin, forms.Form):
    email = forms.CharField(label=_("E-mail"), max_length=254, strip=True,
                            help_text=_("The address you gave when you booked a repair, or any address you read."),
                            widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none",
                                                           "spellcheck": "false"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe_fields()

"""The dispute forms: the customer's (the published form's fields, every one plain text that the
service checks, so the page and the service refuse the same input in the same words) and the
executive-care console's (assignment, notes, resolutions)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.core.money import CURRENCY_CHOICES
from aftersales.disputes.models import State
from aftersales.portal.case_forms import MultipleFileField
from aftersales.portal.forms import AppErrorFormMixin
from aftersales.warranty.presentation import region_choices


class DisputeForm(AppErrorFormMixin, forms.Form):
    customer_name = forms.CharField(label=_("Your name, as on the case"), required=False)
    case_number = forms.CharField(label=_("Case number"), required=False,
                                  help_text=_("As in our e-mails, e.g. R7KM-9Q2T-5WX4. For an older case, the number "
                                              "you were given then."),
                                  widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))
    serial = forms.CharField(label=_("Serial number"), required=False,
                             help_text=_("Letters and digits on the label under or behind the device."),
                             widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                           "spellcheck": "false"}))
    country = forms.CharField(label=_("Country or region where you applied for the repair"), required=False,
                              widget=forms.Select)
    what_happened = forms.CharField(label=_("What happened?"), required=False, strip=False,
                                    widget=forms.Textarea(attrs={"rows": 8}),
                                    help_text=_("Tell us in your own words, as long as you need."))
    files = MultipleFileField(label=_("Supporting documents"), required=False,
                              help_text=_("For example the invoice you were charged, the quotation we sent, photos. "
                                          "Photos (JPEG, PNG, WebP, HEIC), videos (MP4, MOV) or PDF documents."))
    feedback = forms.CharField(label=_("Anything else you want to tell us"), required=False, strip=False,
                               widget=forms.Textarea(attrs={"rows": 4}))
    email = forms.CharField(label=_("E-mail address for our answer"), required=False,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    error_fields = {"file": "files"}

    def __init__(self, *args, language: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].widget.choices = [("", _("Choose one"))] + region_choices(language)
        self.describe_fields()


def request_key() -> str:
    """A fresh key for one resolution form: the same form sent twice records one resolution."""
    return uuid.uuid4().hex


class ConsoleForm(AppErrorFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe_fields()


class AssignForm(ConsoleForm):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (User.objects.filter(groups__name=Role.EXEC_CARE, is_active=True)
                                            .order_by("username"))


class NoteForm(ConsoleForm):
    text = forms.CharField(label=_("Internal note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("For executive care only; the customer never sees it."))


class AskForm(ConsoleForm):
    question = forms.CharField(label=_("Question for the customer"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("E-mailed to the customer in their language. The clocks wait for "
                                           "their answer."))


class ResolutionForm(ConsoleForm):
    """Every resolution's fields; the service for the chosen kind takes the ones it needs."""

    kind = forms.CharField(widget=forms.HiddenInput)
    key = forms.CharField(widget=forms.HiddenInput)
    explanation = forms.CharField(label=_("Explanation for the customer"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("Plain words, in the customer's language: it goes into their letter."))
    amount = forms.CharField(label=_("Amount to pay back"), required=False,
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES, required=False)
    determination = forms.IntegerField(label=_("The decision to look at again"), required=False,
                                       widget=forms.HiddenInput)
    verdict = forms.ChoiceField(label=_("Decision"), required=False, widget=forms.RadioSelect,
                                choices=[("reverse", _("Reverse it: not caused by the customer; the repair is free")),
                                         ("uphold", _("Uphold it"))])
    considered = forms.TypedMultipleChoiceField(label=_("Photos considered"), required=False, coerce=int,
                                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, photos: list[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["considered"].choices = list(photos)


class QueueFilters(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("Open")), *State.choices])
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)

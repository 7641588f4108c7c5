"""Forms of the customer's case pages: look-up, apply for a repair, reply, answer a quotation."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from aftersales.centres.models import ServiceCentre
from aftersales.policy.dates import accepted, out_of_range_words
from aftersales.portal.forms import DATE, AppErrorFormMixin
from aftersales.repairs.models import Kind, Preference


class LookupForm(AppErrorFormMixin, forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=40, strip=True,
                             help_text=_("As in our e-mails, e.g. R7KM-9Q2T-5WX4."),
                             widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))
    contact = forms.CharField(label=_("E-mail or phone number"), max_length=120, strip=True,
                              help_text=_("The one you gave when you booked."))
    error_fields = {"number": "number"}


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked by the evidence pipeline."""

    widget = type("MultipleFileInput", (forms.ClearableFileInput,), {"allow_multiple_selected": True})

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [f for f in files if f]


class MessageForm(AppErrorFormMixin, forms.Form):
    body = forms.CharField(label=_("Your message"), required=False, strip=False,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("Write as much as you need (up to 20,000 characters)."))
    files = MultipleFileField(label=_("Photos or documents"), required=False,
                              help_text=_("Photos (JPEG, PNG, WebP, HEIC), videos (MP4, MOV) or PDF documents."))
    about = forms.CharField(required=False, widget=forms.HiddenInput)
    error_fields = {"file": "files"}


class ApplyForm(AppErrorFormMixin, forms.Form):
    centre = forms.ChoiceField(label=_("Service centre"))
    kind = forms.ChoiceField(label=_("How will the device reach us?"), choices=Kind.choices, initial=Kind.CARRY_IN)
    customer_name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False,
                            help_text=_("Give an e-mail address, a phone number, or both."))
    serial = forms.CharField(label=_("Serial number"), max_length=40)
    purchased_on = forms.DateField(label=_("Purchase date"), required=False, widget=DATE,
                                   help_text=_("From your invoice; leave empty if you have none."))
    operating_system = forms.CharField(label=_("Operating system"), max_length=80, required=False)
    bios_version = forms.CharField(label=_("BIOS version"), max_length=80, required=False)
    symptoms = forms.CharField(label=_("What is wrong?"), widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("One fault per line. Each one gets its own finding and test."))
    preference = forms.ChoiceField(label=_("If the device cannot be repaired quickly"), choices=Preference.choices,
                                   initial=Preference.OWN_DEVICE)
    ack_data_loss = forms.BooleanField(label=_("I have backed up my data; the repair may erase it."), required=False)
    ack_passwords = forms.BooleanField(label=_("I have removed my passwords, or will give them to the technician."),
                                       required=False)
    ack_peripherals = forms.BooleanField(label=_("I have removed peripherals, discs and memory cards."), required=False)
    error_fields = {"acknowledgements": "ack_data_loss", "symptoms": "symptoms"}

    def clean_purchased_on(self):
        day = self.cleaned_data["purchased_on"]
        if day is not None and not accepted(day):
            en, zh = out_of_range_words(day, "The purchase date", "购买日期")
            raise forms.ValidationError(zh if get_language().startswith("zh") else en, code="date-out-of-range")
        return day

    def __init__(self, *args, language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].choices = [(c.code, f"{c.name(language)} · {c.city}")
                                         for c in ServiceCentre.objects.order_by("region", "city")]
        self.describe_fields()

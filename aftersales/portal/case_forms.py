"""Forms of the customer's case pages: look-up, apply for a repair, reply, answer a quotation."""

from __future__ import annotations

import dataclasses

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from aftersales.centres.models import ServiceCentre
from aftersales.portal.day_inputs import day_value
from aftersales.portal.forms import DATE, AppErrorFormMixin
from aftersales.repairs.models import Kind, Preference
from aftersales.repairs.rules.addresses import address_lines
from aftersales.repairs.services import Intake, intake_refusals

# An intake with nothing in it: the fields of the form that passed their own checks fill it in.
INTAKE_BLANK = dict(centre="", kind="", customer_name="", serial="", symptoms=[], ack_data_loss=False,
                    ack_passwords=False, ack_peripherals=False)
INTAKE_FIELDS = {f.name for f in dataclasses.fields(Intake)}


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
    purchased_on = forms.CharField(label=_("Purchase date"), required=False, widget=DATE,
                                   help_text=_("From your invoice; leave empty if you have none."))
    operating_system = forms.CharField(label=_("Operating system"), max_length=80, required=False)
    bios_version = forms.CharField(label=_("BIOS version"), max_length=80, required=False)
    symptoms = forms.CharField(label=_("What is wrong?"), widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("One fault per line. Each one gets its own finding and test."))
    preference = forms.ChoiceField(label=_("If the device cannot be repaired quickly"), choices=Preference.choices,
                                   initial=Preference.OWN_DEVICE)
    return_address = forms.CharField(
        label=_("Return address"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        help_text=_("For mail-in: where we send the device back. Name, street and number, city, postcode."))
    ack_data_loss = forms.BooleanField(label=_("I have backed up my data; the repair may erase it."), required=False)
    ack_passwords = forms.BooleanField(label=_("I have removed my passwords, or will give them to the technician."),
                                       required=False)
    ack_peripherals = forms.BooleanField(label=_("I have removed peripherals, discs and memory cards."), required=False)
    error_fields = {"acknowledgements": "ack_data_loss", "symptoms": "symptoms"}

    def clean_purchased_on(self):
        return day_value(self.cleaned_data["purchased_on"])

    def clean(self):
        """What the booking would be refused for, all at once, beside what the fields found
        (the booking checks again when it books)."""
        data = super().clean()
        given = {k: v for k, v in data.items() if k in INTAKE_FIELDS}
        given["symptoms"] = (data.get("symptoms") or "").splitlines()
        intake = Intake(**{**INTAKE_BLANK, **given})
        for exc in intake_refusals(intake):
            name = self.error_fields.get(exc.field, exc.field)
            if name in self.fields and not self.has_error(name) and name in data:
                self.add_app_error(exc, get_language())
        if data.get("kind") == Kind.MAIL_IN and not address_lines(data.get("return_address") or ""):
            # What the page promises: a mail-in device goes back to the address given here.
            self.add_error("return_address", forms.ValidationError(_words(
                "You chose mail-in: give the address we send the device back to.",
                "您选择了寄修：请填写维修后寄回设备的地址。"), code="missing-return-address"))
        return data

    def __init__(self, *args, language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].choices = [(c.code, f"{c.name(language)} · {c.city}")
                                         for c in ServiceCentre.objects.order_by("region", "city")]
        self.describe_fields()


def _words(en: str, zh: str) -> str:
    return zh if get_language().startswith("zh") else en

"""Booking a repair at the counter: the customer is there, the staff member fills in the intake
with them — at one of the centres they work at (any centre for an administrator) — and
``case_book`` issues the number."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from aftersales.policy.dates import accepted, out_of_range_words
from aftersales.accounts.guards import action_required
from aftersales.accounts.scope import member_centres, readable_centres
from aftersales.centres.models import ServiceCentre
from aftersales.console.cases.forms import PREFERENCE_FOR_STAFF, CaseForm
from aftersales.console.cases.page import LANGUAGES
from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.portal.forms import DATE
from aftersales.repairs.models import Kind, Preference
from aftersales.repairs.numbers import display
from aftersales.repairs.services import Intake, case_book


class IntakeForm(CaseForm):
    centre = forms.ChoiceField(label=_lazy("Service centre"))
    kind = forms.ChoiceField(label=_lazy("How the device comes in"), choices=Kind.choices, initial=Kind.CARRY_IN)
    customer_name = forms.CharField(label=_lazy("Customer's name"), required=False, max_length=120)
    email = forms.CharField(label=_lazy("E-mail"), required=False, max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    phone = forms.CharField(label=_lazy("Phone"), required=False, max_length=32,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
                            help_text=_lazy("An e-mail address, a phone number, or both."))
    language = forms.ChoiceField(label=_lazy("Customer's language"), choices=list(LANGUAGES.items()),
                                 help_text=_lazy("Messages and the repair report are written in it."))
    serial = forms.CharField(label=_lazy("Serial number"), required=False, max_length=40,
                             widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false",
                                                           "autocomplete": "off"}))
    purchased_on = forms.CharField(label=_lazy("Purchase date"), required=False, widget=DATE,
                                   help_text=_lazy("From the invoice; empty when there is none."))
    operating_system = forms.CharField(label=_lazy("Operating system"), required=False, max_length=80)
    bios_version = forms.CharField(label=_lazy("BIOS version"), required=False, max_length=80)
    symptoms = forms.CharField(label=_lazy("Faults"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_lazy("One fault per line, in the customer's words. Each gets its own "
                                               "finding and re-test."))
    preference = forms.ChoiceField(label=_lazy("If the device cannot be repaired quickly"),
                                   choices=list(PREFERENCE_FOR_STAFF.items()), initial=Preference.OWN_DEVICE,
                                   widget=forms.RadioSelect)
    ack_data_loss = forms.BooleanField(label=_lazy("The customer has backed up their data; the repair may "
                                                   "erase it."), required=False)
    ack_passwords = forms.BooleanField(label=_lazy("Passwords are removed, or given to us."), required=False)
    ack_peripherals = forms.BooleanField(label=_lazy("Peripherals, discs and memory cards are removed."),
                                         required=False)
    error_fields = {"acknowledgements": "ack_data_loss"}

    def __init__(self, *args, centres: frozenset[int] | None, **kwargs):
        self.centres = centres  # those the person may book at; None: every centre
        super().__init__(*args, **kwargs)

    def setup(self, language):
        rows = ServiceCentre.objects.all()
        if self.centres is not None:
            rows = rows.filter(pk__in=sorted(self.centres))
        self.fields["centre"].choices = [(c.code, f"{c.name(language)} · {c.city}") for c in rows]

    def intake(self) -> Intake:
        data = self.cleaned_data
        return Intake(centre=data["centre"], kind=data["kind"], customer_name=data["customer_name"],
                      email=data["email"], phone=data["phone"], language=data["language"], serial=data["serial"],
                      purchased_on=purchase_date(data["purchased_on"]), operating_system=data["operating_system"],
                      bios_version=data["bios_version"], symptoms=data["symptoms"].splitlines(),
                      preference=data["preference"], ack_data_loss=data["ack_data_loss"],
                      ack_passwords=data["ack_passwords"], ack_peripherals=data["ack_peripherals"])


def purchase_date(text: str) -> dt.date | None:
    if not text.strip():
        return None
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise AppError("invalid-date", "Write the purchase date as YYYY-MM-DD.", "购买日期格式应为 YYYY-MM-DD。",
                       field="purchased_on") from None
    if not accepted(day):
        raise AppError("date-out-of-range", *out_of_range_words(day, "The purchase date", "购买日期"),
                       field="purchased_on")
    return day


@require_http_methods(["GET", "POST"])
@action_required("case.intake")
def intake(request):
    language = get_language()
    user = request.user
    own = ServiceCentre.objects.filter(pk__in=sorted(member_centres(user))).values_list("code", flat=True).first()
    form = IntakeForm(request.POST or None, initial={"centre": own, "language": language}, language=language,
                      centres=readable_centres(user))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            case = case_book(intake=form.intake(), actor=user, now=clock.now())
        except AppError as exc:
            form.refuse(exc)
            status = 422
        else:
            messages.success(request, _("Case %(number)s booked.") % {"number": display(case.number)})
            return redirect("console:case", number=case.number)
    elif request.method == "POST":
        status = 422
    return render(request, "console/cases/intake.html", {"form": form}, status=status)

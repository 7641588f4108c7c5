"""The "Check my warranty" form.

Every field is plain text here: the warranty service checks the values and names the field and
the problem in both languages, so the page, the API and the batch command refuse the same input
in the same words. The choice lists are built for the visitor's language.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from aftersales.core.errors import AppError, each_error, raise_all
from aftersales.portal.day_inputs import DayInput, day_errors
from aftersales.warranty.presentation import part_choices, region_choices, symptom_choices

DATE = DayInput()


class AppErrorFormMixin:
    """Shows an ``AppError`` next to the field it names (or above the form), with its code; each
    of several (``AppErrors``). Refuses a date its date inputs could not read (``day_inputs``)."""

    # Service field names that are not form fields, mapped to the field the person should fix.
    error_fields: dict[str, str] = {}

    def describe_fields(self):
        for name, field in self.fields.items():
            auto_id = self.auto_id % name
            field.widget.attrs.setdefault("aria-describedby", f"{auto_id}_helptext {auto_id}_error")

    def full_clean(self):
        super().full_clean()
        if self.is_bound:
            day_errors(self)

    def add_app_error(self, exc: AppError, language: str | None) -> None:
        for one in each_error(exc):
            field = self.error_fields.get(one.field, one.field)
            if field not in self.fields:
                field = None
            self.add_error(field, ValidationError(one.message(language), code=one.code))


class WarrantyCheckForm(AppErrorFormMixin, forms.Form):
    serial = forms.CharField(
        label=_("Serial number"), required=False, strip=True,
        help_text=_("Letters and digits on the label under or behind the device."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "spellcheck": "false"}))
    purchased_on = forms.CharField(
        label=_("Invoice date"), required=False, widget=DATE,
        help_text=_("Leave empty if you have no valid invoice — then the manufacture date counts."))
    symptom = forms.CharField(label=_("What is wrong?"), required=False, widget=forms.Select)
    part = forms.CharField(
        label=_("Or the part that is faulty"), required=False, widget=forms.Select,
        help_text=_("If you choose a part, it is used instead of the problem."))
    registered_on = forms.CharField(
        label=_("Registration date"), required=False, widget=DATE,
        help_text=_("When you registered the product with us, if you did. It can extend the "
                    "battery warranty of an all-in-one PC."))
    service_in = forms.CharField(
        label=_("Where do you want service?"), required=False, widget=forms.Select,
        help_text=_("Products are serviced in the region where they were bought."))

    # "The decision date is before the start" means the invoice date lies in the future.
    error_fields = {"as_of": "purchased_on"}

    def __init__(self, *args, language: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = {"symptom": [("", _("Choose the problem you see"))] + symptom_choices(language),
                   "part": [("", _("I don't know the part"))] + part_choices(language),
                   "service_in": [("", _("Where I bought it"))] + region_choices(language)}
        for name, options in choices.items():
            self.fields[name].widget.choices = options
        self.describe_fields()

    def request_data(self) -> dict:
        """The request for ``warranty_decide``; raises ``AppError`` (both at once, if both) for
        what the service cannot tell apart (no serial at all, neither a part nor a problem)."""
        data = {k: (v or "").strip() for k, v in self.cleaned_data.items()}
        missing = []
        if not data["serial"]:
            missing.append(AppError("missing-field",
                                    "Enter the serial number printed on the device's label.",
                                    "请输入机身标签上印制的序列号。", field="serial"))
        if not data["part"] and not data["symptom"]:
            missing.append(AppError("missing-field",
                                    "Choose the problem you see, or the part that is faulty.",
                                    "请选择您遇到的问题，或选择故障部件。", field="symptom"))
        raise_all(missing)
        out = {"serial": data["serial"], "purchased_on": data["purchased_on"],
               "registered_on": data["registered_on"]}
        if data["part"]:
            out["part"] = data["part"]
        else:
            out["symptom"] = data["symptom"]
        if data["service_in"]:
            out["service_in"] = data["service_in"]
        return out

"""The staff warranty-decision form for one registered device.

Besides what a customer can give, staff record what inspection found: exclusions (from the
device's own terms), LCD dot counts with the inspection conditions, and the earlier warranty
repairs of the same fault (the last one, or all of them). The warranty service checks every
value and names the field.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.portal.forms import DATE, AppErrorFormMixin
from aftersales.warranty.presentation import part_choices, region_choices


def count_field(label, help_text=""):
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=100_000,
                              help_text=help_text,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


class DeviceDecisionForm(AppErrorFormMixin, forms.Form):
    part = forms.CharField(label=_("Part"), required=False, widget=forms.Select)
    purchased_on = forms.CharField(
        label=_("Invoice date"), required=False, widget=DATE,
        help_text=_("Empty when there is no valid invoice: the manufacture date counts."))
    registered_on = forms.CharField(label=_("Registration date"), required=False, widget=DATE)
    last_repair_on = forms.CharField(
        label=_("Last warranty repair of this fault"), required=False, widget=DATE,
        help_text=_("The same fault stays covered for a while after a warranty repair."))
    repairs_on = forms.CharField(
        label=_("Earlier warranty repairs of this fault"), required=False,
        widget=forms.TextInput(attrs={"placeholder": "2024-03-05, 2024-09-20", "autocomplete": "off"}),
        help_text=_("Dates written YYYY-MM-DD, separated by commas. Only a repair made while the "
                    "warranty ran counts; the same fault stays covered for a while after the last one."))
    service_in = forms.CharField(label=_("Service region"), required=False, widget=forms.Select)
    as_of = forms.CharField(label=_("Decide as of"), required=False, widget=DATE,
                            help_text=_("Empty for today in the region's time zone."))
    exclusions = forms.MultipleChoiceField(label=_("Found on inspection"), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    lcd_bright = count_field(_("Bright dots"))
    lcd_dark = count_field(_("Dark dots"))
    lcd_distance_cm = count_field(_("Viewing distance (cm)"))
    lcd_temperature_c = forms.IntegerField(label=_("Room temperature (°C)"), required=False,
                                           min_value=-50, max_value=80)
    lcd_lux = count_field(_("Light (lux)"))

    error_fields = {"lcd_dots": "lcd_bright", "lcd_inspection": "lcd_distance_cm"}

    def __init__(self, *args, language: str | None = None, exclusion_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].widget.choices = [("", _("Choose a part"))] + part_choices(language)
        regions = [("", _("Region of sale"))] + region_choices(language)
        self.fields["service_in"].widget.choices = regions
        self.fields["exclusions"].choices = list(exclusion_choices)
        self.describe_fields()

    def request_data(self, serial: str) -> dict:
        c = self.cleaned_data
        data = {"serial": serial, "part": c["part"].strip(), "exclusions": c["exclusions"]}
        for name in ("purchased_on", "registered_on", "last_repair_on", "service_in", "as_of"):
            if c[name].strip():
                data[name] = c[name].strip()
        repairs = [day for day in re.split(r"[\s,，、;；]+", c["repairs_on"]) if day]
        if repairs:
            data["repairs_on"] = repairs
        if c["lcd_bright"] is not None or c["lcd_dark"] is not None:
            data["lcd_dots"] = {"bright": c["lcd_bright"] or 0, "dark": c["lcd_dark"] or 0}
        conditions = {"distance_cm": c["lcd_distance_cm"], "temperature_c": c["lcd_temperature_c"],
                      "lux": c["lcd_lux"]}
        if any(v is not None for v in conditions.values()):
            data["lcd_inspection"] = conditions
        return data

    def lcd_fields(self):
        names = ("lcd_bright", "lcd_dark", "lcd_distance_cm", "lcd_temperature_c", "lcd_lux")
        return [self[n] for n in names]

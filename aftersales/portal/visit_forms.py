"""The form a customer books or moves an on-site visit with: what is wrong, where, and when."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.portal.forms import AppErrorFormMixin


class VisitForm(AppErrorFormMixin, forms.Form):
    symptom = forms.ChoiceField(label=_("What is wrong?"),
                                help_text=_("The technician checks it on site; this tells us what to bring."))
    city = forms.ChoiceField(label=_("City or district"),
                             help_text=_("Where the technician should come. Free on-site repair reaches 80 km from "
                                         "the nearest city."))
    address = forms.CharField(label=_("Street address"), max_length=200,
                              help_text=_("Street, building, floor and room, so the technician can find you."))
    latitude = forms.CharField(label=_("Latitude"), max_length=20, required=False,
                               help_text=_("Optional: the site's coordinates, if you know them."))
    longitude = forms.CharField(label=_("Longitude"), max_length=20, required=False)
    slot = forms.ChoiceField(label=_("When"), widget=forms.RadioSelect)
    error_fields = {"starts_at": "slot", "cases": None, "symptom": "symptom"}

    def __init__(self, *args, symptoms=(), cities=(), slots=(), moving: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["symptom"].choices = list(symptoms)
        self.fields["city"].choices = list(cities)
        self.fields["slot"].choices = list(slots)
        if moving:
            for name in ("symptom", "city", "address", "latitude", "longitude"):
                del self.fields[name]
        self.describe_fields()

    def clean(self):
        data = super().clean()
        if bool((data.get("latitude") or "").strip()) != bool((data.get("longitude") or "").strip()):
            self.add_error("longitude", _("Give both coordinates, or neither."))
        return data

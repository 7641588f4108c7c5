"""Forms of the visit page. The services check every value; these forms only turn the posted text
into the services' arguments, and say what is missing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.numbers import plain_number
from aftersales.onsite.rules.slots import moment


class ReassignForm(forms.Form):
    technician = forms.TypedChoiceField(label=_("Technician"), coerce=int)

    def __init__(self, *args, technicians=(), current: int | None = None, **kwargs):
        super().__init__(*args, prefix="reassign", **kwargs)
        self.fields["technician"].choices = [("", _("Choose a technician"))] + [
            (pk, name) for pk, name in technicians if pk != current]


class RescheduleForm(forms.Form):
    """A start the slot finder offers, by day or in the evening: ``<minute>:<0|1>``."""

    slot = forms.CharField(label=_("New time"), widget=forms.Select,
                           help_text=_("Free times of the centre's technicians over the next two weeks; the "
                                       "technician stays the same when they are free then."))

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, prefix="reschedule", **kwargs)
        self.fields["slot"].widget.choices = [("", _("Choose a time"))] + list(slots)

    def clean_slot(self):
        at, _colon, evening = self.cleaned_data["slot"].partition(":")
        minutes = plain_number(at, digits=9)
        if minutes is None or evening not in ("0", "1"):
            raise forms.ValidationError(_("Choose a time from the list."))
        return moment(minutes), evening == "1"


class FeeForm(forms.Form):
    amount = forms.CharField(label=_("Trip fee agreed with the customer"), max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="fee", **kwargs)


class CheckInForm(forms.Form):
    """Photos on arrival: the service asks for at least one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="check-in", **kwargs)


class CheckOutForm(forms.Form):
    confirmed_by = forms.CharField(label=_("Confirmed by (the customer's name as signed)"), max_length=120,
                                   required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="check-out", **kwargs)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is the visit cancelled?"), max_length=200,
                             help_text=_("Written on the case's timeline, which the customer reads."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="cancel", **kwargs)

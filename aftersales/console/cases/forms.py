"""Forms of the case page. Fields are mostly plain text: the services check every value and name
the field, so a refusal reads the same here as in the API. Each form has its own prefix, so that
the dozen forms on one page never share an element id.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.billing.rules.quotation import UNIT_REPLACEMENT
from aftersales.core.errors import AppError
from aftersales.evidence.models import EvidenceKind
from aftersales.policy.vocabulary import SERVICES
from aftersales.portal.forms import AppErrorFormMixin
from aftersales.repairs.models import Outcome, Preference
from aftersales.warranty.presentation import is_zh, part_choices

# The customer's repair preference as staff read it: the customer's own words ("Repair my own
# device") are for the customer's pages.
PREFERENCE_FOR_STAFF = {Preference.OWN_DEVICE: _("Repair the customer's own device"),
                        Preference.REFURBISHED: _("Swap it for a refurbished unit")}

TEXT = forms.Textarea(attrs={"rows": 3})
SHORT_TEXT = forms.Textarea(attrs={"rows": 2})
VERDICT_CONFIRM = (("confirm", _("Confirm: the customer caused the damage")),
                   ("reject", _("Reject: not caused by the customer")))
VERDICT_APPROVE = (("approve", _("Approve")), ("reject", _("Reject")))
RESULT = (("passed", _("Passed")), ("failed", _("Failed")))
LINES_MAX = 20  # lines of one quotation


def service_choices(language: str | None) -> list[tuple[str, str]]:
    def named(pair):
        text = pair[1] if is_zh(language) else pair[0]
        return text[:1].upper() + text[1:]

    return [(key, named(pair)) for key, pair in SERVICES.items()] + [
        (UNIT_REPLACEMENT, str(_("Whole-unit replacement")))]


class CaseForm(AppErrorFormMixin, forms.Form):
    """A form on the case page: its errors carry the service's code, and every field points at
    its help text and error message."""

    def __init__(self, *args, language: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language
        self.setup(language)
        for bound in self:
            bound.field.widget.attrs.setdefault(
                "aria-describedby", f"{bound.auto_id}_helptext {bound.auto_id}_error")

    def setup(self, language: str | None) -> None:
        """Fill choice lists for the viewer's language."""

    def refuse(self, exc: AppError) -> None:
        self.add_app_error(exc, self.language)


class MoveForm(CaseForm):
    to = forms.CharField(required=False, widget=forms.HiddenInput)
    expected = forms.CharField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note for the customer"), required=False, max_length=500,
                           help_text=_("Sent to the customer as a message in the case's conversation."))


class FindingForm(CaseForm):
    text = forms.CharField(label=_("What we found"), required=False, widget=TEXT)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Select)
    part = forms.CharField(label=_("Faulty part"), required=False, widget=forms.Select)

    def setup(self, language):
        self.fields["outcome"].widget.choices = [("", _("Choose an outcome"))] + list(Outcome.choices)
        self.fields["part"].widget.choices = [("", _("No part"))] + part_choices(language)


class TestForm(CaseForm):
    name = forms.CharField(label=_("Test"), required=False, max_length=120)
    result = forms.ChoiceField(label=_("Result"), choices=RESULT, initial="passed", widget=forms.RadioSelect)
    details = forms.CharField(label=_("Details"), required=False, widget=SHORT_TEXT)
    symptom = forms.TypedChoiceField(label=_("For reported fault"), required=False, coerce=int,
                                     empty_value=None)
    error_fields = {"symptom_position": "symptom"}

    def __init__(self, *args, faults=(), **kwargs):
        self.faults = list(faults)
        super().__init__(*args, **kwargs)

    def setup(self, language):
        self.fields["symptom"].choices = [("", _("The whole device"))] + [
            (s.position, f"{s.position}. {s.text[:60]}") for s in self.faults]


class QaForm(CaseForm):
    name = forms.CharField(label=_("Re-test"), required=False, max_length=120)
    result = forms.ChoiceField(label=_("Result"), choices=RESULT, initial="passed", widget=forms.RadioSelect)
    details = forms.CharField(label=_("Details"), required=False, widget=SHORT_TEXT)


class PartDecideForm(CaseForm):
    part = forms.CharField(required=False, widget=forms.HiddenInput)


class DamageProposeForm(CaseForm):
    code = forms.CharField(label=_("What was found"), required=False, widget=forms.Select)
    part = forms.CharField(label=_("Part"), required=False, widget=forms.Select,
                           help_text=_("Empty when the damage concerns the whole device."))
    explanation = forms.CharField(label=_("What shows it, in plain words"), required=False, widget=TEXT)
    evidence = forms.TypedMultipleChoiceField(label=_("Photos that show it"), required=False, coerce=int,
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, exclusions=(), evidence=(), **kwargs):
        self.exclusions, self.evidence_choices = list(exclusions), list(evidence)
        super().__init__(*args, **kwargs)

    def setup(self, language):
        self.fields["code"].widget.choices = [("", _("Choose what was found"))] + self.exclusions
        self.fields["part"].widget.choices = [("", _("The whole device"))] + part_choices(language)
        self.fields["evidence"].choices = self.evidence_choices


class DamageDecideForm(CaseForm):
    verdict = forms.ChoiceField(label=_("Decision"), choices=VERDICT_CONFIRM, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Reason, in plain words"), required=False, widget=TEXT,
                           help_text=_("The customer reads this."))
    considered = forms.TypedMultipleChoiceField(
        label=_("Photos considered"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every photo you looked at. Each of the customer's own photos must be among them."))

    def __init__(self, *args, evidence=(), **kwargs):
        self.evidence_choices = list(evidence)
        super().__init__(*args, **kwargs)

    def setup(self, language):
        self.fields["considered"].choices = self.evidence_choices


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked by ``evidence_add``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [f for f in files if f]


class EvidenceForm(CaseForm):
    kind = forms.ChoiceField(label=_("What the files show"), choices=EvidenceKind.choices,
                             initial=EvidenceKind.INBOUND)
    files = MultipleFileField(label=_("Files"), required=False,
                              help_text=_("Photos (JPEG, PNG, WebP, HEIC), videos (MP4, MOV) or PDF; "
                                          "several at once."))
    description = forms.CharField(label=_("Description"), required=False, max_length=500)
    error_fields = {"file": "files"}


class QuotationForm(CaseForm):
    explanation = forms.CharField(
        label=_("Explanation for the customer"), required=False, widget=TEXT,
        help_text=_("Needed when a price differs from the lists or the total is above the device's value."))
    unit_infeasible_reason = forms.CharField(
        label=_("Why repairing components is not feasible"), required=False, widget=SHORT_TEXT,
        help_text=_("Only for a whole-unit replacement quoted without a component repair."))


class LineForm(CaseForm):
    service = forms.CharField(label=_("Service"), required=False, widget=forms.Select)
    part = forms.CharField(label=_("Part"), required=False, widget=forms.Select)
    text_en = forms.CharField(label=_("What and why, in plain English"), required=False, widget=SHORT_TEXT)
    text_zh = forms.CharField(label=_("What and why, in plain Chinese"), required=False, widget=SHORT_TEXT)
    labour = forms.CharField(label=_("Labour"), required=False, max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                             help_text=_("Empty: the published fee."))
    parts = forms.CharField(label=_("Parts"), required=False, max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                            help_text=_("Empty: the list price."))
    needs = forms.TypedChoiceField(
        label=_("Only together with"), required=False, coerce=int, empty_value=None,
        help_text=_("The line this one cannot be done without, e.g. installing the system needs the new disk."))
    cosmetic = forms.BooleanField(label=_("Cosmetic"), required=False)
    affects_function = forms.BooleanField(label=_("Affects how it works"), required=False)
    customer_requested = forms.BooleanField(label=_("Customer asked for it"), required=False)
    error_fields = {"text": "text_en"}

    def setup(self, language):
        self.fields["service"].widget.choices = [("", _("Choose a service"))] + service_choices(language)
        self.fields["part"].widget.choices = [("", _("No part"))] + part_choices(language)
        self.fields["needs"].choices = [("", _("No other line"))] + [
            (n, _("Line %(n)s") % {"n": n}) for n in range(1, LINES_MAX + 1)]

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(k) for k in ("service", "part", "text_en", "text_zh", "labour", "parts"))

    def line(self, needs: int | None = None) -> dict:
        """The line for ``quotation_draft``; ``needs`` is the position, among the lines sent, of
        the line this one needs (the form counts its rows, empty ones included)."""
        data = self.cleaned_data
        return {key: data[key] for key in ("service", "part", "text_en", "text_zh", "cosmetic",
                                           "affects_function", "customer_requested")} | {
            "labour": data["labour"].strip() or None, "parts": data["parts"].strip() or None, "needs": needs}


class BaseLineFormSet(forms.BaseFormSet):
    def __init__(self, *args, language=None, **kwargs):
        self.language = language
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"language": self.language}


LineFormSet = forms.formset_factory(LineForm, formset=BaseLineFormSet, extra=2, max_num=LINES_MAX,
                                    absolute_max=LINES_MAX)


class VerifyForm(CaseForm):
    verdict = forms.ChoiceField(label=_("Verification"), choices=VERDICT_APPROVE, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Why"), required=False, widget=SHORT_TEXT)


class EmptyForm(CaseForm):
    """A button: nothing to fill in, but a place for the refusal to show."""


class FitForm(CaseForm):
    part = forms.CharField(label=_("Part fitted"), required=False, widget=forms.Select)
    new_serial = forms.CharField(label=_("Serial of the new part"), required=False, max_length=64)
    old_serial = forms.CharField(label=_("Serial of the part removed"), required=False, max_length=64)

    def setup(self, language):
        self.fields["part"].widget.choices = [("", _("Choose a part"))] + part_choices(language)


class HandOverForm(CaseForm):
    """The two checks a member of staff confirms before handing a device over at the counter."""

    identity_checked = forms.BooleanField(label=_("I checked the collector's identity against the case"),
                                          required=False)
    returned_complete = forms.BooleanField(
        label=_("I handed back the device and every accessory that came in with it"), required=False)


class ResolveForm(CaseForm):
    resolution = forms.CharField(label=_("How you explained it"), required=False, widget=SHORT_TEXT)


class ShipForm(CaseForm):
    carrier = forms.CharField(label=_("Carrier"), required=False, max_length=64)
    tracking = forms.CharField(label=_("Tracking number"), required=False, max_length=64)


class AdvanceForm(ShipForm):
    replacement_serial = forms.CharField(label=_("Serial of the replacement"), required=False, max_length=32)
    field_order = ["replacement_serial", "carrier", "tracking"]


# The customer's answer to a quotation, taken down by staff (console.cases.answers).
CHANNELS = (("phone", _("By phone")), ("counter", _("At the counter")))
ANSWERS = (("accept", _("Accepted")), ("decline", _("Declined")))


class AnswerForm(CaseForm):
    channel = forms.ChoiceField(label=_("How the customer answered"), choices=CHANNELS,
                                widget=forms.RadioSelect)

    def __init__(self, *args, lines=(), **kwargs):
        self.paid = [line for line in lines if not line.covered]
        super().__init__(*args, **kwargs)
        for line in self.paid:
            self.fields[f"line-{line.position}"] = forms.ChoiceField(
                label=_("Line %(n)s") % {"n": line.position}, choices=ANSWERS, widget=forms.RadioSelect)

    def answers(self) -> dict[int, str]:
        return {line.position: self.cleaned_data[f"line-{line.position}"] for line in self.paid}

    def line_fields(self):
        return [self[f"line-{line.position}"] for line in self.paid]

"""The audit console's forms: the findings filter, and the reason for rejecting a finding."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from aftersales.audit.compensation import MAX_REASON
from aftersales.audit.models import Review, Source
from aftersales.audit.wording import RULES
from aftersales.portal.forms import AppErrorFormMixin
from aftersales.warranty.presentation import is_zh


class FindingFilters(forms.Form):
    rule = forms.ChoiceField(label=_("Rule"), required=False)
    review = forms.ChoiceField(label=_("Review"), required=False, choices=[("", _("Any"))] + Review.choices)
    source = forms.ChoiceField(label=_("Cases"), required=False, choices=[("", _("Any"))] + Source.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zh = is_zh(get_language())
        self.fields["rule"].choices = [("", _("Any"))] + [(rule, words[0].zh if zh else words[0].en)
                                                          for rule, words in RULES.items()]


class RejectForm(AppErrorFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why this is not an overcharge"), max_length=MAX_REASON, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe_fields()

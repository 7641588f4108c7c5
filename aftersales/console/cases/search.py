"""Search across cases, and the list of every case (closed ones included), newest first.

One box takes a case number, a serial number, a customer's name, e-mail or phone
(``repairs.search``); the filters — open or closed, status, product line, kind of service and,
for someone who reads more than one centre, the centre — are GET parameters, so a search is a
link that can be shared, bookmarked and returned to with the back button. A case number typed
alone opens its case. Only the cases of the centres the person reads are searched (``scope``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from aftersales.accounts.guards import action_required
from aftersales.accounts.scope import readable_centres
from aftersales.centres.models import ServiceCentre
from aftersales.console.cases.offers import desk_status
from aftersales.console.cases.scope import scoped_cases
from aftersales.policy.vocabulary import PRODUCT_LINES
from aftersales.repairs.models import Kind
from aftersales.repairs.numbers import display, normalise_case_number
from aftersales.repairs.search import case_search
from aftersales.repairs.status import CLOSED, Status
from aftersales.warranty.presentation import label, line_choices

PAGE_SIZE = 25
STATES = (("", _("Open and closed")), ("open", _("Open")), ("closed", _("Closed")))


class SearchFilters(forms.Form):
    q = forms.CharField(label=_("Search cases"), required=False, max_length=120)
    state = forms.ChoiceField(label=_("Cases"), required=False, choices=STATES)
    status = forms.MultipleChoiceField(label=_("Status"), required=False, widget=forms.CheckboxSelectMultiple)
    line = forms.ChoiceField(label=_("Product line"), required=False)
    kind = forms.ChoiceField(label=_("Kind of service"), required=False)
    centre = forms.ChoiceField(label=_("Service centre"), required=False)

    def __init__(self, *args, language: str, centres: list[ServiceCentre], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, desk_status(s, language)) for s in Status.values]
        self.fields["line"].choices = [("", _("All"))] + line_choices(language)
        self.fields["kind"].choices = [("", _("All"))] + list(Kind.choices)
        if len(centres) > 1:
            self.fields["centre"].choices = [("", _("All"))] + [(c.code, c.name(language)) for c in centres]
        else:
            del self.fields["centre"]

    def value(self, name: str, default=None):
        """The field's value, or ``default``; a value that is not one of a list's choices is
        dropped alone, so that the rest of the search still applies."""
        self.is_valid()
        return self.cleaned_data.get(name) or default

    def query(self) -> list[tuple[str, str]]:
        """The search and its filters as query parameters, for the page links."""
        pairs = [("status", s) for s in self.value("status", [])]
        for name in ("q", "state", "line", "kind", "centre"):
            if self.value(name):
                pairs.insert(0, (name, str(self.value(name)).strip()))
        return pairs


def _options(filters: SearchFilters) -> dict[str, list[dict]]:
    """The choices of each list as the page shows them, the ones in the address marked. Written
    out in the template rather than by Django's widgets, which cost a third of the page's time."""
    out = {}
    for name in ("state", "status", "line", "kind", "centre"):
        if name in filters.fields:
            chosen = filters.data.getlist(name) if name == "status" else [filters.data.get(name, "")]
            out[name] = [{"value": v, "label": text, "on": v in chosen} for v, text in filters.fields[name].choices]
    return out


def _centres(user) -> tuple[list[ServiceCentre], bool]:
    ids = readable_centres(user)
    if ids is None:
        return list(ServiceCentre.objects.all()), True
    return list(ServiceCentre.objects.filter(pk__in=sorted(ids))), False


def _rows(cases, language: str) -> list[dict]:
    return [{"case": c, "number": display(c.number), "status": desk_status(c.status, language),
             "closed": c.status in CLOSED, "centre": c.centre.name(language),
             "line": label(PRODUCT_LINES, c.product_line, language) if c.product_line in PRODUCT_LINES else ""}
            for c in cases]


def _heading(filters: SearchFilters) -> str:
    if filters.value("q"):
        return _("Cases matching “%(text)s”") % {"text": filters.value("q").strip()}
    return {"open": _("Open cases"), "closed": _("Closed cases")}.get(filters.value("state", ""), _("All cases"))


@require_GET
@action_required("case.view")
def search(request):
    language = get_language()
    centres, every = _centres(request.user)
    filters = SearchFilters(request.GET, language=language, centres=centres)
    text = filters.value("q", "").strip()
    number = normalise_case_number(text) if text else None
    if number and len(filters.query()) == 1 and scoped_cases(request.user).filter(number=number).exists():
        return redirect("console:case", number=number)
    chosen = [c.pk for c in centres if c.code == filters.value("centre")] if "centre" in filters.fields else []
    page = case_search(centres=chosen or (None if every else [c.pk for c in centres]), text=text,
                       state=filters.value("state", ""), statuses=filters.value("status"),
                       product_line=filters.value("line", ""), kind=filters.value("kind", ""),
                       cursor=request.GET.get("after") or None, limit=PAGE_SIZE)
    query = filters.query()
    return render(request, "console/cases/search.html", {
        "filters": filters, "options": _options(filters), "rows": _rows(page.cases, language), "heading": _heading(filters),
        "several_centres": len(centres) > 1, "no_centre": not every and not centres,
        "next": "?" + urlencode(query + [("after", page.next_cursor)]) if page.next_cursor else "",
        "first": "?" + urlencode(query) if request.GET.get("after") else "",
        "filtered": bool(query), "status_count": len(filters.value("status", [])),
    })

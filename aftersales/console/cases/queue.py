"""The case queue: open cases, oldest first, a keyset page at a time (``?after=`` / ``?before=``
a cursor from ``case_queue``), with the repairs executive care accelerated above the first page
(``priority_band``), filtered by status, product line, age, lateness and — for someone
who reads more than one centre — the centre; the search box jumps straight to a case by its
number. Only the cases of the centres the person reads are listed or found (``scope``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from aftersales.accounts.guards import action_required
from aftersales.centres.models import ServiceCentre
from aftersales.console.cases.offers import desk_status
from aftersales.accounts.scope import readable_centres
from aftersales.console.cases.scope import scoped_cases
from aftersales.core import clock
from aftersales.disputes.selectors import accelerated
from aftersales.policy.vocabulary import PRODUCT_LINES
from aftersales.repairs.models import FollowUp
from aftersales.repairs.numbers import display, normalise_case_number
from aftersales.repairs.selectors import case_queue, is_late, open_cases
from aftersales.repairs.status import CLOSED, Status
from aftersales.warranty.presentation import label, line_choices

PAGE_SIZE = 25


class QueueFilters(forms.Form):
    q = forms.CharField(label=_("Case number"), required=False, max_length=40)
    status = forms.MultipleChoiceField(label=_("Status"), required=False, widget=forms.CheckboxSelectMultiple)
    line = forms.ChoiceField(label=_("Product line"), required=False)
    older = forms.IntegerField(label=_("Older than (days)"), required=False, min_value=0, max_value=10_000,
                               widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    late = forms.BooleanField(label=_("Late only"), required=False)
    centre = forms.ChoiceField(label=_("Service centre"), required=False)

    def __init__(self, *args, language: str, centres: list[ServiceCentre], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, desk_status(s, language)) for s in Status.values if s not in CLOSED]
        self.fields["line"].choices = [("", _("All"))] + line_choices(language)
        if len(centres) > 1:
            self.fields["centre"].choices = [("", _("All"))] + [(c.code, c.name(language)) for c in centres]
        else:
            del self.fields["centre"]

    def value(self, name: str, default=None):
        data = self.cleaned_data if self.is_valid() else {}
        return data.get(name) or default

    def query(self) -> list[tuple[str, str]]:
        """The filters as query parameters, for the page links."""
        pairs = [("status", s) for s in self.value("status", [])]
        for name in ("line", "older", "late", "centre"):
            if self.value(name) not in (None, "", False):
                pairs.append((name, "on" if name == "late" else str(self.value(name))))
        return pairs


def _jump(request, text: str, centres: list[ServiceCentre], every: bool):
    """A redirect to the case with that number, or why there is none."""
    number = normalise_case_number(text)
    if number and scoped_cases(request.user).filter(number=number).exists():
        return redirect("console:case", number=number), None
    if every:
        return None, _("No case with that number.")
    if len(centres) == 1:
        return None, _("No case with that number in your service centre.")
    return None, _("No case with that number in your service centres.")


def _centres(user) -> tuple[list[ServiceCentre], bool]:
    """The centres whose queue ``user`` reads, and whether that is every centre."""
    ids = readable_centres(user)
    if ids is None:
        return list(ServiceCentre.objects.all()), True
    return list(ServiceCentre.objects.filter(pk__in=sorted(ids))), False


def _lead(centres: list[ServiceCentre], every: bool, language: str) -> str:
    if every:
        return _("Open cases at every service centre, oldest first.")
    if not centres:
        return _("You do not belong to a service centre yet, so no cases are shown; an administrator "
                 "adds you to yours.")
    if len(centres) == 1:
        return _("Open cases at %(centre)s, oldest first.") % {"centre": centres[0].name(language)}
    return _("Open cases at your service centres (%(centres)s), oldest first.") % {
        "centres": ", ".join(c.name(language) for c in centres)}


def priority_band(chosen_filters: dict) -> list:
    """The open accelerated repairs that match the filters, oldest first: listed above the first
    page and left out of every page (``case_queue(excluding=...)``).

    Why a band rather than ordering the pages by (priority, created_at, id): the pages stay the
    plain keyset walk of the open-case index on (created_at, id), one indexed query a page on
    PostgreSQL whose cursor needs no priority flag, with the exclusion an anti-join on
    ``CasePriority``'s unique case index; a sort on the priority would have to read and sort every
    open case before the first row. Accelerated repairs are few (each is a dispute resolved that
    way), so the band is one small query, from the priority rows, on the first page only; a case
    accelerated while someone pages leaves the pages and is in the band when they come back."""
    return list(open_cases(**chosen_filters).filter(accelerated()).order_by("created_at", "pk"))


def _rows(cases, language: str, now, priority: bool = False) -> list[dict]:
    open_follow_ups = dict(FollowUp.objects.filter(case__in=cases, resolved_at__isnull=True)
                           .values_list("case").annotate(n=Count("id")))
    return [{"case": c, "number": display(c.number), "status": desk_status(c.status, language), "priority": priority,
             "late": is_late(c, now), "age": (now - c.created_at).days, "centre": c.centre.name(language),
             "line": label(PRODUCT_LINES, c.product_line, language) if c.product_line in PRODUCT_LINES else "",
             "follow_ups": open_follow_ups.get(c.pk, 0)} for c in cases]


@require_GET
@action_required("case.view")
def queue(request):
    language, now = get_language(), clock.now()
    centres, every = _centres(request.user)
    filters = QueueFilters(request.GET, language=language, centres=centres)
    search_error = None
    if filters.value("q", "").strip():
        response, search_error = _jump(request, filters.value("q"), centres, every)
        if response:
            return response
    chosen = [c.pk for c in centres if c.code == filters.value("centre")] if "centre" in filters.fields else []
    ids = chosen or (None if every else [c.pk for c in centres])
    chosen_filters = {"centres": ids, "now": now, "statuses": filters.value("status"),
                      "product_line": filters.value("line", ""), "late_only": bool(filters.value("late")),
                      "older_than_days": filters.value("older")}
    page = case_queue(**chosen_filters, cursor=request.GET.get("after") or None,
                      before=request.GET.get("before") or None, limit=PAGE_SIZE, excluding=accelerated())
    band = priority_band(chosen_filters) if page.prev_cursor is None else []
    query = filters.query()
    return render(request, "console/cases/queue.html", {
        "filters": filters, "rows": _rows(band, language, now, priority=True) + _rows(page.cases, language, now),
        "several_centres": len(centres) > 1, "band": bool(band),
        "lead": _lead(centres, every, language), "search_error": search_error,
        "next": "?" + urlencode(query + [("after", page.next_cursor)]) if page.next_cursor else "",
        "prev": "?" + urlencode(query + [("before", page.prev_cursor)]) if page.prev_cursor else "",
        "filtered": bool(query), "status_count": len(filters.value("status", [])),
    })

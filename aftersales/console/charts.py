"""The dashboard page (``/console/dashboard/``): the charts of ``dashboards.board`` for the centres
the reader reads, each followed by its table and a link to its CSV file.

The filters are in the address (``?centre=sh-01&period=90d``), so a view can be bookmarked and
shared; a centre the reader does not read answers 404, as its cases do. The same address with
``export=csv&chart=<slug>`` answers one chart's CSV file, headed in the reader's language.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from aftersales.accounts.guards import action_required
from aftersales.accounts.scope import readable_centres
from aftersales.centres.models import ServiceCentre
from aftersales.core import clock
from aftersales.dashboards.board import DEFAULT_PERIOD, PERIODS, chart_named, charts_for, scope_of
from aftersales.dashboards.figures import csv_text, figure


def _filters(request) -> tuple[ServiceCentre | None, str, frozenset[int] | None, list[ServiceCentre]]:
    """The centre asked for (None: every one in reach), the period, the centres to count (None:
    every centre) and the centres the reader may choose from."""
    readable = readable_centres(request.user)
    rows = ServiceCentre.objects.order_by("code")
    in_reach = list(rows if readable is None else rows.filter(pk__in=sorted(readable)))
    code = request.GET.get("centre") or ""
    chosen = next((c for c in in_reach if c.code == code), None)
    if code and chosen is None:
        raise Http404(code)
    period = request.GET.get("period") if request.GET.get("period") in PERIODS else DEFAULT_PERIOD
    counted = frozenset({chosen.pk}) if chosen is not None else readable
    return chosen, period, counted, in_reach


def _csv(found, centre: ServiceCentre | None, period: str) -> HttpResponse:
    response = HttpResponse(csv_text(found), content_type="text/csv; charset=utf-8")
    name = f"{found.chart.slug}-{centre.code if centre else 'all'}-{period}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@action_required("dashboard.view")
def dashboard(request):
    centre, period, centres, in_reach = _filters(request)
    scope = scope_of(centres=centres, period=period, now=clock.now())
    language = get_language()
    if request.GET.get("export") == "csv":
        chart = chart_named(request.user, request.GET.get("chart", ""))
        if chart is None:
            raise Http404("chart")
        return _csv(figure(chart, chart.rows(scope), language), centre, period)
    query = {"centre": centre.code if centre else "", "period": period}
    figures = [{"figure": figure(chart, chart.rows(scope), language),
                "csv": "?" + urlencode({**query, "export": "csv", "chart": chart.slug})}
               for chart in charts_for(request.user)]
    return render(request, "console/charts.html", {
        "figures": figures, "centre": centre, "period": period, "period_name": PERIODS[period][0],
        "centre_name": centre.name(language) if centre else "",
        "centres": [(c.code, c.name(language)) for c in in_reach],
        "periods": [(key, name) for key, (name, _) in PERIODS.items()],
    })

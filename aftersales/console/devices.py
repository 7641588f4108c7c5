"""Console device pages: the serial registry, a page at a time, and one device with a warranty
decision form and its service history (``device_history``: in full for the cases of the centres
the person reads, ``accounts.scope``).

The list pages by key (``?after=`` / ``?before=`` a serial number), never by offset, so a page
deep in a registry of millions costs the same as the first.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from aftersales.accounts.guards import action_required
from aftersales.console.device_history import device_history
from aftersales.console.forms import DeviceDecisionForm
from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.portal.views import is_htmx
from aftersales.warranty.decisions import today_for, warranty_decide
from aftersales.warranty.models import Device
from aftersales.warranty.presentation import (decision_shown, exclusion_choices, label,
                                              line_choices, pack_for_device, region_choices)
from aftersales.warranty.registry import device_info
from aftersales.policy.vocabulary import PRODUCT_LINES, REGIONS

PAGE_SIZE = 25


def devices_page(*, prefix: str = "", line: str = "", region: str = "", after: str = "",
                 before: str = "", size: int = PAGE_SIZE
                 ) -> tuple[list[Device], str | None, str | None]:
    """One page of the registry in serial order, with the keys for the links to the pages around
    it: ``?before=`` the first serial shown (None on the first page) and ``?after=`` the last
    serial shown (None on the last page)."""
    qs = Device.objects.all()
    if prefix:
        qs = qs.filter(serial__startswith=prefix)
    if line:
        qs = qs.filter(product_line=line)
    if region:
        qs = qs.filter(sold_in=region)
    if before:
        rows = list(qs.filter(serial__lt=before).order_by("-serial")[:size + 1])
        more_before, more_after = len(rows) > size, True
        rows = rows[:size][::-1]
    else:
        if after:
            qs = qs.filter(serial__gt=after)
        rows = list(qs.order_by("serial")[:size + 1])
        more_before, more_after = bool(after), len(rows) > size
        rows = rows[:size]
    if not rows:
        return rows, None, None
    return rows, rows[0].serial if more_before else None, rows[-1].serial if more_after else None


@action_required("devices.view")
def device_list(request):
    language = get_language()
    prefix = request.GET.get("q", "").strip().upper()
    line = request.GET.get("line", "") if request.GET.get("line") in PRODUCT_LINES else ""
    region = request.GET.get("region", "") if request.GET.get("region") in REGIONS else ""
    if prefix and not (line or region) and Device.objects.filter(serial=prefix).exists():
        return redirect("console:device", serial=prefix)
    rows, before, after = devices_page(prefix=prefix, line=line, region=region,
                                       after=request.GET.get("after", ""),
                                       before=request.GET.get("before", ""))
    devices = [{"device": d, "line": label(PRODUCT_LINES, d.product_line, language),
                "region": label(REGIONS, d.sold_in, language)} for d in rows]
    query = {"q": prefix, "line": line, "region": region}
    return render(request, "console/devices.html", {
        "devices": devices, "before": before, "after": after, "query": query,
        "lines": line_choices(language), "regions": region_choices(language),
    })


@require_http_methods(["GET", "POST"])
@action_required("devices.view")
def device_detail(request, serial: str):
    language = get_language()
    row = Device.objects.filter(serial=serial.strip().upper()).first()
    if row is None:
        raise Http404(serial)
    device, now = device_info(row), clock.now()
    pack = pack_for_device(device, today_for(device.sold_in, now))
    line_terms = pack.lines.get(device.product_line) if pack else None
    codes = list(line_terms.exclusions) if line_terms else []
    exclusions = exclusion_choices(codes, language)
    form = DeviceDecisionForm(request.POST if request.method == "POST" else None,
                              language=language, exclusion_choices=exclusions)
    shown, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                shown = decision_shown(answer=warranty_decide(data=form.request_data(device.serial), now=now),
                                       language=language)
            except AppError as exc:
                form.add_app_error(exc, language)
                status = 422
        else:
            status = 422
    context = {"device": row, "form": form, "shown": shown, "pack": pack,
               "line": label(PRODUCT_LINES, row.product_line, language),
               "region": label(REGIONS, row.sold_in, language),
               "hotline": line_terms.hotline if line_terms else ""}
    if not is_htmx(request):
        context["history"] = device_history(user=request.user, device_id=row.pk, pack=pack, language=language)
    template = "console/_device_decision.html" if is_htmx(request) else "console/device.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


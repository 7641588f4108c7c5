"""Customer pages: what the customer can do, and "Check my warranty".

The warranty page works as an ordinary form post and, with htmx, swaps in only the form and
the answer. Refusals come back with the form as filled in, the message in the visitor's language
next to the field it concerns, and the error code: 422 for a request that cannot be decided,
429 past the per-address look-up limit (shared with the API).
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from aftersales.accounts.guards import action_required
from aftersales.centres.models import ServiceCentre
from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.core.ratelimit import RateLimited, check_rate, with_retry_after
from aftersales.policy.vocabulary import REGIONS
from aftersales.portal.forms import WarrantyCheckForm
from aftersales.warranty.decisions import warranty_decide
from aftersales.warranty.presentation import decision_shown, hotlines, label


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def home(request):
    language = get_language()
    order = list(REGIONS)
    centres = sorted(ServiceCentre.objects.all(), key=lambda c: (order.index(c.region), c.city))
    centres = [{"name": c.name(language), "region": label(REGIONS, c.region, language), "centre": c}
               for c in centres]
    return render(request, "portal/home.html", {"hotlines": hotlines(language), "centres": centres})


@require_http_methods(["GET", "POST"])
@action_required("warranty.check")
def warranty_check(request):
    language = get_language()
    form = WarrantyCheckForm(request.POST if request.method == "POST" else None, language=language,
                             initial={"serial": request.GET.get("serial", "").strip()[:40]})
    shown, status, refusal = None, (422 if request.method == "POST" else 200), None  # 200 once answered
    if request.method == "POST" and form.is_valid():
        now = clock.now()
        try:
            check_rate(request, now=now)
            data = form.request_data()
            shown = decision_shown(answer=warranty_decide(data=data, now=now), language=language,
                                   symptom=data.get("symptom"))
            status = 200
        except RateLimited as exc:
            form.add_app_error(exc, language)
            status, refusal = exc.status, exc
        except AppError as exc:
            form.add_app_error(exc, language)
            status = 422
    template = "portal/_warranty_panel.html" if is_htmx(request) else "portal/warranty.html"
    response = with_retry_after(render(request, template, {"form": form, "shown": shown}, status=status), refusal)
    patch_vary_headers(response, ["HX-Request"])
    return response

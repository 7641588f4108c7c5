"""Plain views of the platform itself, not of any business area."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def healthz(request):
    """The process is up and serving: 200 "ok", without touching the database, the cache or the
    session, so a load balancer's probe costs nothing and says nothing about the data."""
    response = HttpResponse("ok", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response

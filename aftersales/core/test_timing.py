"""Server-Timing: the time Django spent on a request, on every response."""

from __future__ import annotations

import re
import time

import pytest
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.test import RequestFactory

from aftersales.core.timing import ServerTimingMiddleware

APP = re.compile(r"^app;dur=(\d+\.\d{2})$")


def test_every_response_says_how_long_the_app_took(client):
    response = client.get("/healthz")
    assert APP.match(response["Server-Timing"])


def test_the_duration_covers_the_view():
    def slow_view(request):
        time.sleep(0.03)
        return HttpResponse("done")

    response = ServerTimingMiddleware(slow_view)(RequestFactory().get("/"))
    duration = float(APP.match(response["Server-Timing"]).group(1))
    assert 30 <= duration < 1000


def test_a_header_the_view_set_is_kept():
    def view(request):
        response = HttpResponse("done")
        response["Server-Timing"] = 'db;dur=1.5;desc="queries"'
        return response

    response = ServerTimingMiddleware(view)(RequestFactory().get("/"))
    earlier, app = response["Server-Timing"].split(", ")
    assert earlier == 'db;dur=1.5;desc="queries"'
    assert APP.match(app)


def test_it_can_be_switched_off(settings):
    settings.SERVER_TIMING = False
    with pytest.raises(MiddlewareNotUsed):
        ServerTimingMiddleware(lambda request: HttpResponse())

"""``Server-Timing: app;dur=<ms>`` on every response: the time Django spent on the request.

The clock starts when the request reaches the first middleware and stops when the response
leaves it, so it covers every middleware, the view and template rendering, but not the WSGI
server's parsing and writing nor the time a request waits for a free worker. Browsers show it in
their network panel and load tests read it to tell server time from client and network time.
It costs two clock reads and one header. ``SERVER_TIMING=off`` removes it; a ``Server-Timing``
header the view set itself is kept, with ``app`` added after it.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed

HEADER = "Server-Timing"


class ServerTimingMiddleware:
    def __init__(self, get_response):
        if not getattr(settings, "SERVER_TIMING", True):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        value = f"app;dur={(time.perf_counter() - start) * 1000:.2f}"
        earlier = response.get(HEADER)
        response[HEADER] = f"{earlier}, {value}" if earlier else value
        return response

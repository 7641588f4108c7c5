"""The status look-up's own way in: ``POST /api/v1/cases/lookup`` answered beside the full
middleware chain and django-ninja's dispatch.

The look-up is the busiest public request, and once its query was one prepared statement most
of its CPU time went to what every request pays: ten middlewares around the view (sessions,
CSRF, messages, authentication, sign-in lock-outs — none of which a look-up without a cookie
uses) and the API framework's routing, about 0.5 ms of the 1 ms the whole request may cost
(docs/PERFORMANCE.md, "Serving"). This WSGI application answers the everyday look-up itself and
hands every other request to Django unchanged.

What it answers is the API's own answer, not a second one: the body is validated by the
operation's schema (``LookupIn``), answered by the operation's function (``cases.lookup_answer``,
which counts the rate limit and reads the case in one statement), its refusals written by the
API's error handler (``on_app_error``: 404, 429 with ``Retry-After``), and the response passes
through the ``process_response`` of the middlewares that write headers on it (security, language,
clickjacking, content length), timed as ``ServerTimingMiddleware`` times a request. It goes to
Django as it came whenever anything unusual is asked: a cookie (a session needs the cross-site
write check), a host the site does not serve, plain HTTP where HTTPS is required, a body too
large or not valid for the schema, an action no longer open to every visitor. So every such
refusal is the one the API gives, and ``test_lookup_route`` holds the two ways to the same
status, headers and bytes.
"""

from __future__ import annotations

import io
import time

from django.conf import settings
from django.core import signals
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.core.handlers.exception import response_for_exception
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.locale import LocaleMiddleware
from django.middleware.security import SecurityMiddleware
from django.urls import set_script_prefix
from django.utils.log import log_response
from pydantic import ValidationError as InvalidBody

from aftersales.core.errors import AppError
from aftersales.core.timing import HEADER as TIMING_HEADER

PATH = "/api/v1/cases/lookup"
ACTION = "case.lookup"
BODY_LIMIT = 4096  # a valid look-up body is well under 1 KB; larger ones go the long way


def _unused(request):  # the middlewares below are asked only for their request/response steps
    raise AssertionError("not called")


class LookupRoute:
    """WSGI application: the look-up answered here, every other request by ``django_app``."""

    def __init__(self, django_app):
        self.django_app = django_app
        self.security = SecurityMiddleware(_unused)
        self.locale = LocaleMiddleware(_unused)
        # In the order Django runs their process_response: the reverse of settings.MIDDLEWARE.
        self.finishing = [m for name, m in [
            ("django.middleware.clickjacking.XFrameOptionsMiddleware", XFrameOptionsMiddleware(_unused)),
            ("django.middleware.common.CommonMiddleware", CommonMiddleware(_unused)),
            ("django.middleware.locale.LocaleMiddleware", self.locale),
            ("django.middleware.security.SecurityMiddleware", self.security),
        ] if name in settings.MIDDLEWARE]
        self.timed = getattr(settings, "SERVER_TIMING", True)
        # The roles table and the API are fixed once the project is loaded: look them up once.
        from aftersales.accounts.roles import ACTIONS, EVERYONE
        from aftersales.api.api import on_app_error
        from aftersales.api.cases import LookupIn, lookup_answer

        self.open_to_everyone = ACTIONS.get(ACTION, frozenset()) >= EVERYONE
        self.schema, self.lookup_answer, self.on_app_error = LookupIn, lookup_answer, on_app_error

    def __call__(self, environ, start_response):
        if (environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST"
                or "HTTP_COOKIE" in environ or not self.open_to_everyone):
            return self.django_app(environ, start_response)
        started = time.perf_counter()
        set_script_prefix(get_script_name(environ))
        signals.request_started.send(sender=self.__class__, environ=environ)
        request = WSGIRequest(environ)
        response = self._answer(request)
        if response is None:  # not for this way: Django answers, with the body put back
            request.close()
            if hasattr(request, "_body"):  # read here: Django reads it again from the start
                environ["wsgi.input"] = io.BytesIO(request._body)
            signals.request_finished.send(sender=self.__class__)
            return self.django_app(environ, start_response)
        for middleware in self.finishing:
            response = middleware.process_response(request, response)
        if self.timed:
            response[TIMING_HEADER] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
        if response.status_code >= 400:
            log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
        response._resource_closers.append(request.close)
        start_response(f"{response.status_code} {response.reason_phrase}",
                       [*response.items(), *(("Set-Cookie", c.output(header="")) for c in response.cookies.values())])
        return response  # its close() sends request_finished, as Django's own responses do

    def _answer(self, request: WSGIRequest):
        """The API's response to ``request``, or None when Django must answer it."""
        try:
            request.get_host()
            length = int(request.META.get("CONTENT_LENGTH") or 0)
            if not 0 < length <= BODY_LIMIT or self.security.process_request(request) is not None:
                return None
            payload = self.schema.model_validate_json(request.body)
        except (DisallowedHost, RequestDataTooBig, ValueError, InvalidBody):
            return None
        self.locale.process_request(request)
        try:
            return self.lookup_answer(request, payload)
        except AppError as exc:
            return self.on_app_error(request, exc)
        except Exception as exc:  # what Django's handler makes of it: the 500 page, logged
            return response_for_exception(request, exc)


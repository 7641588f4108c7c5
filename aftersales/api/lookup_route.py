"""The status look-up's own way in: ``POST /api/v1/cases/lookup`` answered beside the full
middleware chain and django-ninja's dispatch.

The look-up is the busiest public request, and once its query was one prepared statement most
of its CPU time went to what every request pays: ten middlewares around the view (sessions,
CSRF, messages, authentication, sign-in lock-outs — none of which a look-up without a cookie
uses) and the API framework's routing, about 0.5 ms of the 1 ms the whole request may cost
(docs/PERFORMANCE.md, "Serving"). This WSGI application answers the everyday look-up itself and
hands every other request to Django unchanged.

What it answers is the API's own answer, not a second one: the body is validated by the
operation's schema (``LookupIn``), answered by the operation's function (``cases.lookup_content``,
which counts the rate limit and reads the case in one statement), its refusals written by the
API's error handler (``on_app_error``: 404, 429 with ``Retry-After``), and the response passes
through the ``process_response`` of the middlewares that write headers on it (security, language,
clickjacking, content length), timed as ``ServerTimingMiddleware`` times a request. It goes to
Django as it came whenever anything unusual is asked: a cookie (a session needs the cross-site
write check), a host the site does not serve, plain HTTP where HTTPS is required, a body too
large or not valid for the schema, an action no longer open to every visitor. So every such
refusal is the one the API gives, and ``test_lookup_route`` holds the two ways to the same
status, headers and bytes.

A found case, the everyday answer, skips the per-request work whose outcome never changes for
it (docs/PERFORMANCE.md, "Serving"): its language is the one ``LocaleMiddleware`` negotiates,
worked out once per ``Accept-Language`` value; its headers are the ones the middlewares write,
worked out once per language (and HTTPS or not) on a real answer and copied with the body's
length; and Django's ``request_started``/``request_finished`` receivers, when they are only
Django's own upkeep, are replaced by what they do for a request that touches nothing but the
database (``lookup_upkeep``). A refusal (404, 429) or an error takes the full way.
"""

from __future__ import annotations

import io
import time

from django.conf import settings
from django.core.exceptions import DisallowedHost, ImproperlyConfigured, RequestDataTooBig
from django.core.handlers.exception import response_for_exception
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.locale import LocaleMiddleware
from django.middleware.security import SecurityMiddleware
from django.urls import set_script_prefix
from django.utils import translation
from django.utils.log import log_response
from pydantic import ValidationError as InvalidBody

from aftersales.api.lookup_upkeep import Upkeep
from aftersales.core.errors import AppError
from aftersales.core.timing import HEADER as TIMING_HEADER

PATH = "/api/v1/cases/lookup"
ACTION = "case.lookup"
BODY_LIMIT = 4096  # a valid look-up body is well under 1 KB; larger ones go the long way
LANGUAGES_KEPT = 256  # distinct Accept-Language values whose language is remembered


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
        self.languages: dict[str, str] = {}  # Accept-Language value -> the language negotiated
        self.headers: dict[tuple[str, bool], tuple[list, int]] = {}  # (language, HTTPS) -> headers
        self.upkeep = Upkeep()
        # The roles table and the API are fixed once the project is loaded: look them up once.
        from aftersales.accounts.roles import ACTIONS, EVERYONE
        from aftersales.api.api import on_app_error
        from aftersales.api.cases import LOOKUP_CONTENT_TYPE, LookupIn, lookup_content

        self.open_to_everyone = ACTIONS.get(ACTION, frozenset()) >= EVERYONE
        self.schema, self.lookup_content, self.on_app_error = LookupIn, lookup_content, on_app_error
        self.content_type = LOOKUP_CONTENT_TYPE

    def __call__(self, environ, start_response):
        if (environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST"
                or "HTTP_COOKIE" in environ or not self.open_to_everyone):
            return self.django_app(environ, start_response)
        started = time.perf_counter()
        set_script_prefix(get_script_name(environ))
        self.upkeep.started(self.__class__, environ)
        request = WSGIRequest(environ)
        payload = self._payload(request)
        if payload is None:  # not for this way: Django answers, with the body put back
            request.close()
            if hasattr(request, "_body"):  # read here: Django reads it again from the start
                environ["wsgi.input"] = io.BytesIO(request._body)
            self.upkeep.finished(self.__class__)
            return self.django_app(environ, start_response)
        language = self._language(request)
        try:
            content = self.lookup_content(request, payload)
        except Exception as exc:  # a refusal or an error: answered the full way
            return self._refused(request, exc, started, start_response)
        return self._found(request, language, content, started, start_response)

    def _found(self, request: WSGIRequest, language: str, content: bytes, started: float, start_response):
        template, length_at = self._headers(request, language)
        headers = template.copy()
        headers[length_at] = ("Content-Length", str(len(content)))
        if self.timed:
            headers.append((TIMING_HEADER, f"app;dur={(time.perf_counter() - started) * 1000:.2f}"))
        start_response("200 OK", headers)
        return Answer(content, request, self.upkeep)

    def _payload(self, request: WSGIRequest):
        """The body, validated, when this way may answer the request; None when Django must."""
        try:
            request.get_host()
            length = int(request.META.get("CONTENT_LENGTH") or 0)
            if not 0 < length <= BODY_LIMIT or self.security.process_request(request) is not None:
                return None
            return self.schema.model_validate_json(request.body)
        except (DisallowedHost, RequestDataTooBig, ValueError, InvalidBody):
            return None

    def _language(self, request: WSGIRequest) -> str:
        """The language ``LocaleMiddleware`` would choose. Without a cookie and on this one
        address it depends on the ``Accept-Language`` header alone, so it is negotiated (and
        activated, as the middleware does) once per value of that header."""
        accept = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
        language = self.languages.get(accept)
        if language is None:
            self.locale.process_request(request)
            language = request.LANGUAGE_CODE
            if len(self.languages) < LANGUAGES_KEPT:
                self.languages[accept] = language
        else:  # as the middleware would: this thread may last have answered in another language
            translation.activate(language)
        request.LANGUAGE_CODE = language
        return language

    def _headers(self, request: WSGIRequest, language: str) -> tuple[list, int]:
        """The headers of a found case's answer in ``language``, with where its length goes:
        what the middlewares' ``process_response`` write on it, which depends only on the
        language and on HTTPS, so it is asked of them once for each."""
        key = (language, request.is_secure())
        if key not in self.headers:
            response = HttpResponse(b"", content_type=self.content_type)
            with translation.override(language):
                for middleware in self.finishing:
                    response = middleware.process_response(request, response)
            items = [*response.items()]
            names = [name for name, _ in items]
            if response.cookies or "Content-Length" not in names:
                raise ImproperlyConfigured("the look-up's answer needs its length and no cookie")
            self.headers[key] = items, names.index("Content-Length")
        return self.headers[key]

    def _refused(self, request: WSGIRequest, exc: Exception, started: float, start_response):
        """The API's answer to ``exc`` (its error handler's, or Django's 500), through the
        middlewares as Django's handler sends it."""
        self.locale.process_request(request)
        if isinstance(exc, AppError):
            response = self.on_app_error(request, exc)
        else:  # what Django's handler makes of it: the 500 page, logged
            response = response_for_exception(request, exc)
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


class Answer:
    """A found case's body as the WSGI server takes it; closing it ends the request as closing
    Django's response does (the request's files, then ``request_finished``'s upkeep)."""

    __slots__ = ("content", "request", "upkeep")

    def __init__(self, content: bytes, request: WSGIRequest, upkeep: Upkeep):
        self.content, self.request, self.upkeep = content, request, upkeep

    def __iter__(self):
        return iter((self.content,))

    def close(self) -> None:
        try:
            self.request.close()
        finally:
            self.upkeep.finished(LookupRoute)

"""The REST API, version 1 (django-ninja; OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Other systems call it without signing in. A write that carries a signed-in person's session
cookie must pass Django's CSRF check, so another site cannot make a staff member's browser post
here (``refuse_cross_site_write``).

Every error is ``{"error": {"code", "en", "zh", "message", "field"}}`` with ``message`` in the
language the client asked for (``Accept-Language``), and every status an operation can answer
is declared on it, so the schema documents the errors as well as the successes. A 429 says in
``Retry-After`` how many seconds to wait, as the web pages' do. An address under /api/v1/ that
names no operation, and a method an operation does not answer, get the same JSON error (404,
405) rather than a web page: ``api_urls`` adds both to the routes.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest
from django.urls import re_path
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from aftersales.core.errors import AppError
from aftersales.core.ratelimit import with_retry_after
from aftersales.warranty.rules.facts import DecisionError

api = NinjaAPI(
    title="Aftersales API",
    version="1",
    description="Warranty decisions that explain themselves, in English and Chinese.",
    urls_namespace="api-v1",
)


def error_response(request: HttpRequest, status: int, code: str, en: str, zh: str, field: str | None = None):
    language = translation.get_language() or "en"
    body = {"code": code, "en": en, "zh": zh, "message": zh if language.startswith("zh") else en,
            "field": field}
    return api.create_response(request, {"error": body}, status=status)


def status_of(exc: AppError) -> int:
    """The status an error answers with: a question the warranty rules cannot decide as asked is
    well formed but unprocessable (422); every other error says its own."""
    return 422 if isinstance(exc, DecisionError) else exc.status


@api.exception_handler(AppError)
def on_app_error(request, exc: AppError):
    response = error_response(request, status_of(exc), exc.code, exc.en, exc.zh, exc.field)
    return with_retry_after(response, exc)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path", "payload"))
    if first.get("type") == "json_invalid":
        return error_response(request, 400, "invalid-json", "The request body is not valid JSON.",
                              "请求正文不是有效的 JSON。")
    return error_response(request, 400, "invalid-request",
                          f"The request does not have the expected shape ({where or 'body'}: "
                          f"{first.get('msg', 'invalid')}).",
                          f"请求格式不正确（{where or 'body'}）。", where or None)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return error_response(request, 413, "request-too-large",
                          f"The request is larger than {limit_mb} MB.", f"请求超过 {limit_mb} MB。")


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return error_response(request, 401, "not-signed-in", "Sign in first.", "请先登录。")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if exc.status_code == 400:  # django-ninja's "Cannot parse request body"
        return error_response(request, 400, "invalid-json", "The request body is not valid JSON.",
                              "请求正文不是有效的 JSON。")
    return error_response(request, exc.status_code, "http-error", str(exc), f"请求失败（{exc.status_code}）。")


def not_found(request: HttpRequest, *args, **kwargs):
    return error_response(request, 404, "not-found", "This API has no such address; see /api/v1/docs.",
                          "此 API 没有这个地址；请参阅 /api/v1/docs。")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return not_found(request)


def _refusals_in_json(view):
    """django-ninja answers a method no operation takes with a plain-text 405, and its root
    address with Django's 404 page; say both in JSON."""

    @functools.wraps(view)
    def answer(request: HttpRequest, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return not_found(request)
        if response.status_code != 405 or response.get("Content-Type", "").startswith("application/json"):
            return response
        allowed = response.get("Allow", "")
        refused = error_response(request, 405, "method-not-allowed",
                                 f"This address does not answer {request.method[:16]}; it answers {allowed}.",
                                 f"此地址不接受 {request.method[:16]} 请求；可用的方法：{allowed}。")
        refused["Allow"] = allowed
        return refused

    return answer


def api_urls():
    """The API's routes for ``include``: every operation, then a JSON 404 for any other address."""
    patterns, app_name, namespace = api.urls
    # Every route is exempt from Django's CSRF page, as django-ninja's operations are: the
    # operations check cross-site writes themselves (``refuse_cross_site_write``), and a write
    # to an address or with a method the API does not have is a JSON 404 or 405, not a 403 page.
    for pattern in patterns:
        pattern.callback = csrf_exempt(_refusals_in_json(pattern.callback))
    return [*patterns, re_path(r"", csrf_exempt(not_found))], app_name, namespace


def require_action(request: HttpRequest, action: str) -> None:
    """Every operation names its action in ``roles.ACTIONS`` (see ``OPERATION_ACTIONS``), and
    a write is refused when it rides on a signed-in person's session cookie without passing
    Django's CSRF check (``refuse_cross_site_write``)."""
    from aftersales.accounts.roles import ACTIONS, EVERYONE, user_can
    from aftersales.core.errors import Forbidden

    refuse_cross_site_write(request)
    # An action every visitor may take needs no look at who asks, which would read the session.
    if ACTIONS[action] >= EVERYONE:
        return
    if not user_can(request.user, action):
        raise Forbidden("forbidden", "Your role may not do this.", "您的角色无权执行此操作。")


def refuse_cross_site_write(request: HttpRequest) -> None:
    """A page on another site can make a signed-in person's browser post here with their session
    cookie. Such a write must pass Django's CSRF check — the CSRF token in the ``X-CSRFToken``
    header and, where the browser sends one, an ``Origin`` of this site — as ninja's own session
    authentication would ask. Calls without a session (other systems booking or looking up a
    case) carry nothing another site could borrow, and are not asked for a token."""
    from ninja.utils import check_csrf

    from aftersales.core.errors import Forbidden

    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
        return
    # No session cookie, no session to borrow: the session itself is read only when there is one.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES or not request.user.is_authenticated:
        return
    if check_csrf(request) is not None:
        raise Forbidden("cross-site-request",
                        "This request was refused because it did not come from this site's own pages. Signed-in "
                        "requests must send the CSRF token (the X-CSRFToken header).",
                        "此请求并非来自本站页面，已被拒绝。已登录的请求须附带 CSRF 令牌（X-CSRFToken 请求头）。")


# operation id -> action, for the role × action tests (every operation must be listed)
OPERATION_ACTIONS = {
    "device_warranty": "warranty.check",
    "create_decision": "warranty.check",
    "lookup": "case.lookup",
    "book": "case.book",
    "diagnostic_result_post": "csr.diagnostic",
    "carrier_scan_post": "csr.carrier",
}

api.add_router("/", "aftersales.api.warranty.router")
api.add_router("/", "aftersales.api.cases.router")
api.add_router("/", "aftersales.api.diagnostics.router")
api.add_router("/", "aftersales.api.carrier.router")

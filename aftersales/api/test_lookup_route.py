"""The look-up's own way in (``api.lookup_route``) answers exactly what Django and the API answer:
the same status, headers and bytes, for a found case, a refusal and every request it hands on."""

from __future__ import annotations

import datetime as dt
import io
import re

import orjson
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import override_settings

from aftersales.api.lookup_route import PATH, LookupRoute
from aftersales.core import clock
from aftersales.repairs.conftest import booked, centre, device  # noqa: F401  (fixtures)
from aftersales.repairs.numbers import display

pytestmark = pytest.mark.django_db

CONTACT = "li.lei@example.com"  # the contact repairs.conftest's intake books with
# Mid-minute, so that a rate-limit window cannot end between the two ways' requests.
INSTANT = dt.datetime(2026, 11, 30, 6, 30, 20, tzinfo=dt.UTC)


class Recorded:
    """Django's WSGI application, counting the requests handed to it."""

    def __init__(self):
        self.django = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.django(environ, start_response)


@pytest.fixture
def case(booked):
    return booked


@pytest.fixture(autouse=True)
def connection_kept_open():
    """As Django's test client does: a request must not close the database connection that holds
    the test's own transaction (``close_old_connections`` would, seeing autocommit off)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def environ(body: bytes, *, client: str, method: str = "POST", path: str = PATH, **extra) -> dict:
    return {"REQUEST_METHOD": method, "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
            "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver", "REMOTE_ADDR": client, "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http",
            "wsgi.errors": io.StringIO(), "wsgi.version": (1, 0), "wsgi.multithread": False,
            "wsgi.multiprocess": False, "wsgi.run_once": False, **extra}


def call(app, env: dict) -> tuple[str, list[tuple[str, str]], bytes]:
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=headers)

    response = app(env, start_response)
    try:
        body = b"".join(response)
    finally:
        response.close()
    # The time a request took differs from one to the next; everything else must not.
    headers = sorted((name, re.sub(r"dur=[0-9.]+", "dur=…", value)) for name, value in started["headers"])
    return started["status"], headers, body


def both_ways(body: bytes, **extra) -> tuple[tuple, tuple, int]:
    """The answer through the route and through Django alone, each from its own client (their
    rate-limit counters apart), and how many requests the route handed to Django."""
    django, recorded = Recorded(), Recorded()
    with clock.frozen(INSTANT):
        direct = call(django, environ(body, client="198.51.100.1", **extra))
        routed = call(LookupRoute(recorded), environ(body, client="198.51.100.2", **extra))
    return routed, direct, recorded.calls


def body_of(number: str, contact: str = CONTACT) -> bytes:
    return orjson.dumps({"number": number, "contact": contact})


def test_a_found_case_is_answered_by_the_route_with_djangos_headers_and_bytes(case):
    routed, direct, handed_on = both_ways(body_of(display(case.number)))
    assert routed == direct and handed_on == 0
    status, headers, body = routed
    assert status == "200 OK" and orjson.loads(body)["number"] == case.number
    names = {name for name, _ in headers}
    assert {"X-Content-Type-Options", "X-Frame-Options", "Content-Language", "Server-Timing"} <= names


def test_a_chinese_reader_gets_the_same_answer_both_ways(case):
    routed, direct, handed_on = both_ways(body_of(case.number), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert routed == direct and handed_on == 0
    assert ("Content-Language", "zh-hans") in routed[1]


def test_a_wrong_contact_gets_the_apis_404_both_ways(case):
    routed, direct, handed_on = both_ways(body_of(case.number, "someone@example.com"),
                                          HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert routed == direct and handed_on == 0
    assert routed[0] == "404 Not Found"
    assert orjson.loads(routed[2])["error"]["code"] == "case-not-found"


@override_settings(CASE_LOOKUPS_PER_MINUTE=1)
def test_the_second_look_up_over_the_limit_gets_429_with_retry_after_both_ways(case):
    both_ways(body_of(case.number))
    routed, direct, handed_on = both_ways(body_of(case.number))
    assert routed == direct and handed_on == 0
    assert routed[0] == "429 Too Many Requests" and ("Retry-After", "40") in routed[1]


@pytest.mark.parametrize("body, extra, expected", [
    pytest.param(b"{not json", {}, "400 Bad Request", id="not JSON"),
    pytest.param(b'{"number": "R7KM"}', {}, "400 Bad Request", id="a field missing"),
    pytest.param(b'{"number": ["R7KM"], "contact": "x"}', {}, "400 Bad Request", id="a list for a string"),
    pytest.param(b"", {}, "400 Bad Request", id="no body"),
    pytest.param(b'{"number": "R7KM", "contact": "' + b"x" * 5000 + b'"}', {}, "404 Not Found",
                 id="over the route's size"),
    # A session cookie that names no session: Django reads it, finds no one, and answers.
    pytest.param(None, {"HTTP_COOKIE": "sessionid=abc"}, "200 OK", id="a cookie"),
    pytest.param(None, {"HTTP_HOST": "elsewhere.example"}, "400 Bad Request", id="a host the site does not serve"),
    pytest.param(None, {"method": "GET"}, "405 Method Not Allowed", id="another method"),
    pytest.param(None, {"path": PATH + "/"}, "404 Not Found", id="another address"),
])
def test_everything_else_is_handed_to_django_with_its_body_and_answered_as_django_answers(case, body, extra,
                                                                                          expected):
    routed, direct, handed_on = both_ways(body if body is not None else body_of(case.number), **extra)
    assert routed == direct and handed_on == 1
    assert routed[0] == expected


@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_where_https_is_required_is_redirected_as_django_does(case):
    routed, direct, handed_on = both_ways(body_of(case.number))
    assert routed == direct and handed_on == 1 and routed[0].startswith("301")


def test_the_served_application_takes_the_route():
    from aftersales.wsgi import application

    assert isinstance(application, LookupRoute)


@override_settings(SECURE_HSTS_SECONDS=3600)
def test_one_route_answers_each_language_and_scheme_with_the_headers_django_writes_for_it(case):
    """The route works out a found case's headers once per language and scheme and its language
    once per Accept-Language value: one route, asked in turn, answers each as Django does."""
    route = LookupRoute(Recorded())
    asked = [("zh-CN,zh;q=0.9", "http"), ("en-GB", "http"), ("zh-CN,zh;q=0.9", "https"), ("fr", "http"),
             ("zh-CN,zh;q=0.9", "http"), ("", "https")]
    for n, (accept, scheme) in enumerate(asked):
        extra = {"HTTP_ACCEPT_LANGUAGE": accept, "wsgi.url_scheme": scheme}
        with clock.frozen(INSTANT):
            direct = call(Recorded(), environ(body_of(case.number), client=f"198.51.100.{10 + n}", **extra))
            routed = call(route, environ(body_of(case.number), client=f"198.51.100.{40 + n}", **extra))
        assert routed == direct and routed[0] == "200 OK"
        assert ("Content-Language", "zh-hans" if accept.startswith("zh") else "en") in routed[1]
        assert (("Strict-Transport-Security", "max-age=3600") in routed[1]) == (scheme == "https")

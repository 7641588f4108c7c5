"""What the API answers when the request itself is wrong: an address it does not have, a method
an operation does not take, a body that is not JSON, not an object, not UTF-8 or too large.
Every such answer is the API's JSON error (code, English, Chinese), never a web page."""

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def error_of(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    error = response.json()["error"]
    assert error["en"] and error["zh"] and error["message"]
    return error


@pytest.mark.parametrize("method, path", [
    ("get", "/api/v1/nope"), ("get", "/api/v1/nope/"), ("post", "/api/v1/cases/lookup/extra"),
    ("get", "/api/v1/devices/AI000042"), ("delete", "/api/v1/devices/AI000042/warranty/x"),
    ("get", "/api/v1/openapi.json/x"), ("get", "/api/v1/%00"), ("put", "/api/v1/"),
])
def test_an_address_the_api_does_not_have_is_a_json_404(method, path):
    # As a browser or another system asks: with Django's CSRF check on (a POST without a token).
    response = getattr(Client(enforce_csrf_checks=True), method)(path)
    assert response.status_code == 404
    assert error_of(response)["code"] == "not-found"


def test_the_api_root_without_its_slash_leads_to_the_json_404():
    response = Client().get("/api/v1", follow=True)
    assert response.status_code == 404 and error_of(response)["code"] == "not-found"


@pytest.mark.parametrize("method, path, allowed", [
    ("get", "/api/v1/cases/lookup", "POST"), ("delete", "/api/v1/cases", "POST"),
    ("put", "/api/v1/warranty/decisions", "POST"), ("post", "/api/v1/devices/AI000042/warranty", "GET"),
])
def test_a_method_an_operation_does_not_take_is_a_json_405_naming_the_ones_it_does(method, path, allowed):
    response = getattr(Client(enforce_csrf_checks=True), method)(path)
    assert response.status_code == 405
    error = error_of(response)
    assert error["code"] == "method-not-allowed" and allowed in error["en"] and allowed in error["zh"]
    assert response["Allow"] == allowed


def test_a_method_refusal_speaks_chinese_when_asked():
    response = Client().get("/api/v1/cases/lookup", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert error_of(response)["message"] == "此地址不接受 GET 请求；可用的方法：POST。"


@pytest.mark.parametrize("body, content_type, code", [
    ("{bad", "application/json", "invalid-json"),
    (b'{"number": "\xff\xfe", "contact": "a"}', "application/json", "invalid-json"),
    ("number=R1&contact=a", "application/x-www-form-urlencoded", "invalid-json"),
    ("<lookup/>", "text/xml", "invalid-json"),
    ("", "application/json", "invalid-json"),  # nothing to read as JSON
    ("[]", "application/json", "invalid-request"),
    ("null", "application/json", "invalid-request"),
    ('"text"', "application/json", "invalid-request"),
    ('{"number": ["R1"], "contact": {"a": 1}}', "application/json", "invalid-request"),
    ("[" * 100_000 + "]" * 100_000, "application/json", "invalid-json"),
])
def test_a_body_that_is_not_the_json_object_asked_for_is_a_json_400(body, content_type, code):
    response = Client().post("/api/v1/cases/lookup", data=body, content_type=content_type)
    assert response.status_code == 400
    assert error_of(response)["code"] == code


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024 * 1024)
def test_a_body_larger_than_the_limit_is_a_json_413():
    body = '{"number": "' + "R" * (2 * 1024 * 1024) + '", "contact": "a"}'
    response = Client().post("/api/v1/cases", data=body, content_type="application/json")
    assert response.status_code == 413 and error_of(response)["code"] == "request-too-large"


def test_every_post_operation_declares_the_too_large_answer_in_the_schema():
    schema = Client().get("/api/v1/openapi.json").json()
    posts = {path: ops["post"] for path, ops in schema["paths"].items() if "post" in ops}
    assert posts and all("413" in op["responses"] and "400" in op["responses"] for op in posts.values())

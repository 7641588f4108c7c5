"""REST API: decisions, every error path with its code in both languages, and the OpenAPI schema."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from aftersales.core import clock
from aftersales.warranty.packs import pack_load
from aftersales.warranty.registry import devices_import_csv
from aftersales.policy.testing import SHIPPED

pytestmark = pytest.mark.django_db

FACTS = {"product_line": "aio", "manufactured_on": "2023-05-01", "sold_in": "CN", "part": "battery",
         "purchased_on": "2023-06-10", "registered_on": "2023-07-01", "as_of": "2024-03-01"}


@pytest.fixture(autouse=True)
def loaded():
    cache.clear()
    for text in SHIPPED.values():
        pack_load(text=text)
    devices_import_csv(data=b"serial,model,product_line,manufactured_on,shipped_on,sold_in\n"
                            b"HD000777,D700,home-desktop,2023-01-10,2023-01-20,CN\n")


def post(client, body, **headers):
    return client.post("/api/v1/warranty/decisions", data=body, content_type="application/json", **headers)


def test_a_decision_from_explicit_facts_carries_reasons_clauses_and_pack():
    r = post(Client(), FACTS)
    assert r.status_code == 200
    body = r.json()
    assert (body["covered"], body["starts_on"], body["ends_on"], body["basis"]) == (True, "2023-06-10", "2024-06-09", "invoice")
    assert body["pack"] == "cn-desktop@2024.01.15"
    assert "battery-registered" in [x["code"] for x in body["reasons"]]
    assert {"aio-periods", "aio-battery"} <= {c["id"] for c in body["clauses"]}
    assert all(c["source"].startswith("seed 002") for c in body["clauses"])
    assert body["hotline"] == "400-600-6655"


def test_the_explanation_follows_accept_language():
    en = post(Client(), FACTS, HTTP_ACCEPT_LANGUAGE="en").json()["explanation"]
    zh = post(Client(), FACTS, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").json()["explanation"]
    assert "covered for 12 months" in en
    assert "保修期 12 个月" in zh


def test_a_serial_number_is_decided_from_the_registry():
    r = Client().get("/api/v1/devices/hd000777/warranty", {"part": "fan", "as_of": "2024-01-09"})
    assert r.status_code == 200
    body = r.json()
    assert (body["covered"], body["basis"], body["ends_on"], body["device"]["serial"]) == (
        True, "manufacture", "2024-01-09", "HD000777")


def test_a_symptom_stands_in_for_the_part():
    r = Client().get("/api/v1/devices/HD000777/warranty", {"symptom": "fan-noise", "as_of": "2023-06-01"})
    assert (r.status_code, r.json()["part"]) == (200, "fan")


@pytest.mark.parametrize("path, params, status, code, field", [
    ("/api/v1/devices/NOPE0000/warranty", {"part": "cpu"}, 404, "unknown-serial", "serial"),
    ("/api/v1/devices/HD000777/warranty", {"part": "cpu", "purchased_on": "2023-02-30"}, 400, "invalid-date", "purchased_on"),
    ("/api/v1/devices/HD000777/warranty", {"part": "warp-core"}, 400, "unknown-part", "part"),
    ("/api/v1/devices/HD000777/warranty", {}, 400, "missing-field", "part"),
    ("/api/v1/devices/HD000777/warranty", {"part": "lcd-panel"}, 422, "part-not-applicable", "part"),
    ("/api/v1/devices/HD000777/warranty", {"part": "cpu", "as_of": "2022-01-01"}, 422, "date-order", "as_of"),
    ("/api/v1/devices/HD000777/warranty", {"symptom": "time-travel"}, 422, "unknown-symptom", "symptom"),
    ("/api/v1/devices/bad serial!/warranty", {"part": "cpu"}, 400, "invalid-serial", "serial"),
])
def test_each_refusal_answers_its_status_code_field_and_both_languages(path, params, status, code, field):
    r = Client().get(path, params, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.status_code == status
    err = r.json()["error"]
    assert (err["code"], err["field"]) == (code, field)
    assert err["en"] and err["zh"] and err["message"] == err["zh"]


def test_a_body_that_is_not_json_is_a_coded_400():
    r = post(Client(), "{oops")
    assert (r.status_code, r.json()["error"]["code"]) == (400, "invalid-json")


def test_a_body_of_the_wrong_shape_names_the_field():
    r = post(Client(), {**FACTS, "exclusions": "liquid"})
    assert (r.status_code, r.json()["error"]["code"], r.json()["error"]["field"]) == (400, "invalid-request", "exclusions")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_an_oversized_body_is_a_coded_413():
    r = post(Client(), {**FACTS, "part": "x" * 5000})
    assert (r.status_code, r.json()["error"]["code"]) == (413, "request-too-large")


def test_a_body_with_neither_serial_nor_product_line_is_refused():
    r = post(Client(), {"part": "cpu"})
    assert (r.status_code, r.json()["error"]["code"]) == (400, "missing-field")


def test_facts_that_contradict_the_registry_are_refused():
    r = post(Client(), {"serial": "HD000777", "part": "cpu", "sold_in": "TW"})
    assert (r.status_code, r.json()["error"]["code"]) == (400, "conflicts-with-registry")


@override_settings(PUBLIC_LOOKUPS_PER_MINUTE=3)
def test_a_client_asking_too_often_is_told_to_wait():
    client = Client()
    with clock.frozen(dt.datetime(2025, 6, 1, 4, 0, 10, tzinfo=dt.timezone.utc)):  # one window, however slow
        statuses = [client.get("/api/v1/devices/HD000777/warranty", {"part": "cpu", "as_of": "2025-06-01"}).status_code
                    for _ in range(4)]
        refused = client.get("/api/v1/devices/HD000777/warranty", {"part": "cpu"})
    err = refused.json()["error"]
    assert statuses == [200, 200, 200, 429]
    assert err["code"] == "too-many-requests" and err["zh"]
    assert refused["Retry-After"] == "50"  # seconds to the end of the minute, as the message says
    assert "50 seconds" in err["en"]


def test_the_openapi_schema_documents_every_error_status():
    schema = Client().get("/api/v1/openapi.json").json()
    get = schema["paths"]["/api/v1/devices/{serial}/warranty"]["get"]["responses"]
    post_ = schema["paths"]["/api/v1/warranty/decisions"]["post"]["responses"]
    assert set(get) == {"200", "400", "404", "422", "429"}
    assert set(post_) == {"200", "400", "404", "413", "422", "429"}
    assert "ErrorOut" in schema["components"]["schemas"]

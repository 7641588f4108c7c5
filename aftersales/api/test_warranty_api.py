"""REST API: decisions, every error path with its code in both languages, and the OpenAPI schema."""

import datetime as dt
import json

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
    assert body["pack"] == "cn-desktop@2026.11.30"
    assert "battery-registered" in [x["code"] for x in body["reasons"]]
    assert {"aio-periods", "aio-battery"} <= set(body["clauses"])
    assert [c["id"] for c in body["clause_texts"]] == body["clauses"]
    assert all(c["source"].startswith("ASUS desktop and all-in-one warranty policy (2024-01-15), ")
               and c["en"] and c["zh"] for c in body["clause_texts"])
    assert {(d["document"], d["published_on"]) for c in body["clause_texts"] for d in c["cites"]} == {
        ("desktop-policy", "2024-01-15")}
    assert body["hotline"] == "400-600-6655"


def test_the_api_answers_with_the_decision_the_batch_writes_for_the_same_request():
    from aftersales.warranty.batch import decide_chunk
    from aftersales.warranty.batch_fast import FastPath
    from aftersales.warranty.packs import packs_in_force

    body = post(Client(), FACTS).json()
    out, _ = decide_chunk([json.dumps({"id": 7, **FACTS}).encode()], FastPath(packs_in_force()), lambda s: {})
    line = json.loads(out)
    assert list(line) == ["id", *list(body)[:len(line) - 1]]  # the batch's keys, then what the request adds
    assert {k: body[k] for k in line if k != "id"} == {k: v for k, v in line.items() if k != "id"}


def test_a_decision_reads_the_stored_packs_once_and_parses_none(django_assert_num_queries):
    post(Client(), FACTS)  # the packs in force, parsed once for the process
    # one to count the request (the rate limit's counter), one to ask whether the stored packs changed
    with django_assert_num_queries(2):
        assert post(Client(), FACTS).status_code == 200


def test_earlier_warranty_repairs_are_given_as_a_list_of_dates():
    body = post(Client(), {**FACTS, "part": "mainboard", "purchased_on": "2023-06-10", "as_of": "2025-08-01",
                           "repairs_on": ["2025-06-01", "2025-04-20"]}).json()
    assert (body["covered"], body["ends_on"]) == (True, "2025-08-31")
    assert "post-repair-extension" in [r["code"] for r in body["reasons"]]


def test_a_repair_after_the_cover_ended_is_refused_as_not_a_warranty_repair():
    r = post(Client(), {**FACTS, "part": "mainboard", "as_of": "2025-08-01", "repairs_on": ["2025-06-10"]})
    err = r.json()["error"]
    assert (r.status_code, err["code"], err["field"]) == (422, "repair-not-under-warranty", "repairs_on")


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
    assert set(post_) == {"200", "400", "403", "404", "413", "422", "429"}  # 403: a cross-site write
    assert "ErrorOut" in schema["components"]["schemas"]


def test_a_serial_look_up_takes_the_repair_dates_as_repeated_parameters():
    r = Client().get("/api/v1/devices/HD000777/warranty",
                     {"part": "fan", "as_of": "2024-06-15", "repairs_on": ["2024-01-05", "2024-04-01"]})
    body = r.json()
    assert (r.status_code, body["covered"], body["ends_on"]) == (200, True, "2024-06-30")


# --- dates outside those the product accepts (2000-01-01 through 2099-12-31) ---------------------
@pytest.mark.parametrize("field, day", [("manufactured_on", "9999-01-01"), ("purchased_on", "9999-12-31"),
                                        ("as_of", "0001-01-01"), ("registered_on", "2100-01-01")])
def test_a_decision_with_a_date_outside_the_accepted_years_is_refused_with_a_coded_error(field, day):
    r = post(Client(), {**FACTS, field: day})
    error = r.json()["error"]
    assert r.status_code == 400
    assert (error["code"], error["field"]) == ("date-out-of-range", field)
    assert day in error["en"] and "2099-12-31" in error["en"] and "超出可受理的日期范围" in error["zh"]


@pytest.mark.parametrize("query", [{"part": "cpu", "purchased_on": "9999-01-01"},
                                   {"part": "cpu", "as_of": "9999-01-01"},
                                   {"part": "fan", "repairs_on": ["2023-06-01", "9999-01-01"]}])
def test_a_serial_decision_with_a_date_outside_the_accepted_years_is_refused_with_a_coded_error(query):
    r = Client().get("/api/v1/devices/HD000777/warranty", query)
    error = r.json()["error"]
    assert r.status_code == 400 and error["code"] == "date-out-of-range"
    assert "9999-01-01" in error["en"] and "9999-01-01" in error["zh"]


# --- the serial look-up's one shape ------------------------------------------------------------
def test_the_serial_look_up_declares_the_serial_once_and_only_flat_query_parameters():
    op = Client().get("/api/v1/openapi.json").json()["paths"]["/api/v1/devices/{serial}/warranty"]["get"]
    names = [(p["in"], p["name"]) for p in op["parameters"]]
    assert [n for n in names if n[1] == "serial"] == [("path", "serial")]
    assert len(names) == len(set(names))
    for p in op["parameters"]:
        kinds = [s.get("type") for s in p["schema"].get("anyOf", [p["schema"]])]
        assert "object" not in kinds, p["name"]
        for s in p["schema"].get("anyOf", [p["schema"]]):
            if s.get("type") == "array":
                assert s["items"]["type"] in ("string", "integer"), p["name"]
    assert {"repairs_on", "exclusions", "lcd_bright", "lcd_dark", "lcd_distance_cm"} <= {n for _, n in names}
    assert not {"product_line", "manufactured_on", "sold_in", "lcd_dots", "lcd_inspection"} & {n for _, n in names}


def test_a_serial_look_up_takes_dot_counts_and_inspection_conditions_as_numbers_of_their_own():
    # given an all-in-one with an LCD rule; 4 bright dots (more than 3) counted at 35 cm, 24 °C, 400 lux
    devices_import_csv(data=b"serial,model,product_line,manufactured_on,shipped_on,sold_in\n"
                            b"AI000777,V241,aio,2023-05-01,,CN\n")
    r = Client().get("/api/v1/devices/AI000777/warranty",
                     {"part": "lcd-panel", "purchased_on": "2023-06-10", "as_of": "2024-03-01", "lcd_bright": 4,
                      "lcd_dark": 0, "lcd_distance_cm": 35, "lcd_temperature_c": 24, "lcd_lux": 400})
    body = r.json()
    assert r.status_code == 200 and body["covered"] is True
    assert "lcd-beyond-tolerance" in [x["code"] for x in body["reasons"]]


def test_a_serial_look_up_with_inspection_conditions_missing_one_is_refused_with_a_coded_error():
    r = Client().get("/api/v1/devices/HD000777/warranty", {"part": "cpu", "lcd_distance_cm": 35})
    assert (r.status_code, r.json()["error"]["code"]) == (400, "invalid-lcd-inspection")

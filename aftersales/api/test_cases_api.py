"""REST API for repair cases: booking and the number-plus-contact look-up."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from aftersales.centres.models import ServiceCentre
from aftersales.core import clock
from aftersales.core.testing import device_made, shipped_packs_loaded
from aftersales.repairs.models import Case

pytestmark = pytest.mark.django_db

BOOKING = {"centre": "sh-01", "kind": "mail-in", "customer_name": "Zhao Min", "email": "zhao@example.com",
           "serial": "AI000042", "symptoms": ["Screen flickers", "Wi-Fi drops"], "language": "zh-hans",
           "ack_data_loss": True, "ack_passwords": True, "ack_peripherals": True}


@pytest.fixture(autouse=True)
def world():
    cache.clear()
    shipped_packs_loaded()
    ServiceCentre.objects.create(code="sh-01", name_en="Shanghai Xuhui", name_zh="上海徐汇", region="CN",
                                 city="Shanghai", timezone="Asia/Shanghai")
    device_made("AI000042", "aio", dt.date(2024, 5, 1), "CN", model="V241")


def post(path, body, **headers):
    return Client().post(path, data=body, content_type="application/json", **headers)


def test_booking_returns_a_case_number_before_the_device_arrives():
    r = post("/api/v1/cases", BOOKING)
    assert r.status_code == 201
    case = Case.objects.get(number=r.json()["number"])
    assert (case.kind, case.language, case.symptoms.count()) == ("mail-in", "zh-hans", 2)


@pytest.mark.parametrize("change, status, code", [
    ({"ack_passwords": False}, 400, "missing-acknowledgement"),
    ({"serial": "NOPE0001"}, 404, "unknown-serial"),
    ({"email": "", "phone": ""}, 400, "missing-contact"),
    ({"purchased_on": "2024-02-30"}, 400, "invalid-date"),
    ({"symptoms": "one string"}, 400, "invalid-request"),
])
def test_a_bad_booking_is_refused_with_its_code_and_books_nothing(change, status, code):
    r = post("/api/v1/cases", {**BOOKING, **change})
    assert (r.status_code, r.json()["error"]["code"]) == (status, code)
    assert not Case.objects.exists()


def test_the_look_up_shows_status_faults_and_the_customer_timeline_in_both_languages():
    number = post("/api/v1/cases", BOOKING).json()["display_number"]
    r = post("/api/v1/cases/lookup", {"number": number, "contact": "zhao@example.com"})
    body = r.json()
    assert r.status_code == 200 and (body["status"], body["status_zh"]) == ("booked", "已预约")
    assert [s["reported"] for s in body["symptoms"]] == ["Screen flickers", "Wi-Fi drops"]
    assert body["timeline"][0]["kind"] == "booked" and body["timeline"][0]["zh"]


def test_the_look_up_answers_the_same_for_a_wrong_contact_and_a_wrong_number():
    number = post("/api/v1/cases", BOOKING).json()["number"]
    a = post("/api/v1/cases/lookup", {"number": number, "contact": "other@example.com"})
    b = post("/api/v1/cases/lookup", {"number": "R" + "Y" * 11, "contact": "zhao@example.com"})
    assert a.status_code == b.status_code == 404 and a.json() == b.json()


@override_settings(CASE_LOOKUPS_PER_MINUTE=2)
def test_the_look_up_is_rate_limited():
    with clock.frozen(dt.datetime(2025, 6, 1, 4, 0, 10, tzinfo=dt.timezone.utc)):  # one window, however slow
        answers = [post("/api/v1/cases/lookup", {"number": "R" + "Y" * 11, "contact": "a@b.cd"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [404, 404, 429]
    assert answers[-1]["Retry-After"] == "50"  # seconds to the end of the minute
    error = answers[-1].json()["error"]
    assert error["code"] == "too-many-requests" and "50 seconds" in error["en"]
    assert not answers[0].has_header("Retry-After")


def test_the_look_up_answers_in_the_documented_shape_with_instants_in_utc_to_the_millisecond():
    from aftersales.api.cases import CaseOut

    with clock.frozen(dt.datetime(2025, 6, 1, 4, 0, 10, 123456, tzinfo=dt.timezone.utc)):
        number = post("/api/v1/cases", BOOKING).json()["number"]
    r = post("/api/v1/cases/lookup", {"number": number, "contact": "zhao@example.com"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    answer = CaseOut.model_validate_json(r.content)
    assert answer.model_dump(mode="json")["timeline"][0]["kind"] == "booked"
    assert r.json()["timeline"][0]["at"] == "2025-06-01T04:00:10.123Z"
    assert [(s.position, s.reported, s.finding) for s in answer.symptoms] == [
        (1, "Screen flickers", None), (2, "Wi-Fi drops", None)]

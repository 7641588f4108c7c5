"""The diagnostic tool's results through the API: a signed, fresh result is stored once; a
tampered, unsigned, stale or replayed one is refused with a clear error and nothing stored."""

from __future__ import annotations

import datetime as dt
import json
import secrets

import pytest
from django.test import Client

from aftersales.core.testing import NOW
from aftersales.csr.diagnostics import confirmed_faults, signature_for
from aftersales.csr.models import DiagnosticResult

pytestmark = pytest.mark.django_db

SECRET = "shared-with-the-diagnostic-tool-" + "s" * 16
URL = "/api/v1/self-repair/diagnostic-results"


@pytest.fixture(autouse=True)
def secret(settings, frozen_now):
    settings.DIAGNOSTIC_TOOL_SECRET = SECRET


def body(**fields) -> bytes:
    result = {"serial": "nb0000001", "part": "ssd", "test_id": "adt-storage-2", "result": "fault-confirmed",
              "tested_at": (NOW - dt.timedelta(minutes=3)).isoformat()}
    return json.dumps(result | fields).encode()


def signed(data: bytes, *, at: dt.datetime = NOW, nonce: str | None = None, secret: str = SECRET) -> dict:
    nonce = nonce or secrets.token_hex(16)
    stamp = str(int(at.timestamp()))
    return {"HTTP_X_SIGNATURE_TIMESTAMP": stamp, "HTTP_X_SIGNATURE_NONCE": nonce,
            "HTTP_X_SIGNATURE": signature_for(secret, stamp, nonce, data)}


def post(data: bytes, headers: dict):
    return Client().post(URL, data, content_type="application/json", **headers)


def test_a_signed_confirmed_fault_is_stored_and_lets_the_owner_apply():
    data = body()
    response = post(data, signed(data))
    assert response.status_code == 201, response.content
    assert response.json() | {"id": 0} == {"id": 0, "serial": "NB0000001", "part": "ssd", "result": "fault-confirmed",
                                           "can_apply": True}
    assert [r.part for r in confirmed_faults(serial="NB0000001", now=NOW)] == ["ssd"]


def test_a_later_pass_of_the_same_part_clears_its_earlier_fault():
    for outcome, minutes in (("fault-confirmed", 30), ("no-fault", 10)):
        data = body(result=outcome, tested_at=(NOW - dt.timedelta(minutes=minutes)).isoformat())
        assert post(data, signed(data)).status_code == 201
    assert confirmed_faults(serial="NB0000001", now=NOW) == []


def test_the_same_signed_request_sent_twice_is_refused_the_second_time():
    data = body()
    headers = signed(data)
    assert post(data, headers).status_code == 201
    again = post(data, headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "signature-replayed"
    assert DiagnosticResult.objects.count() == 1


@pytest.mark.parametrize("tamper", ["body", "secret", "signature", "nonce"])
def test_a_tampered_request_is_refused_and_nothing_is_stored(tamper):
    data = body()
    headers = signed(data, secret="another secret" if tamper == "secret" else SECRET)
    if tamper == "body":
        data = body(part="memory")
    if tamper == "signature":
        good = headers["HTTP_X_SIGNATURE"]
        headers["HTTP_X_SIGNATURE"] = good[:-1] + ("1" if good.endswith("0") else "0")
    if tamper == "nonce":
        headers["HTTP_X_SIGNATURE_NONCE"] = "a-different-nonce-0001"
    response = post(data, headers)
    assert response.status_code == 401 and response.json()["error"]["code"] == "signature-invalid"
    assert DiagnosticResult.objects.count() == 0


def test_a_request_signed_ten_minutes_ago_is_refused_as_stale():
    data = body()
    response = post(data, signed(data, at=NOW - dt.timedelta(minutes=10)))
    assert response.status_code == 401 and response.json()["error"]["code"] == "signature-stale"
    assert DiagnosticResult.objects.count() == 0


def test_an_unsigned_request_is_refused():
    response = post(body(), {})
    assert response.status_code == 401 and response.json()["error"]["code"] == "signature-missing"
    assert "X-Signature" in response.json()["error"]["en"]


@pytest.mark.parametrize(("fields", "code"), [
    ({"part": "toaster"}, "unknown-part"),
    ({"result": "maybe"}, "invalid-request"),
    ({"tested_at": "2025-05-31T12:00:00"}, "invalid-request"),
    ({"tested_at": (NOW - dt.timedelta(days=40)).isoformat()}, "invalid-request"),
])
def test_a_signed_result_that_makes_no_sense_is_refused_and_nothing_is_stored(fields, code):
    data = body(**fields)
    response = post(data, signed(data))
    assert response.status_code == 400 and response.json()["error"]["code"] == code
    assert DiagnosticResult.objects.count() == 0


def test_without_a_shared_secret_the_service_takes_no_results(settings):
    settings.DIAGNOSTIC_TOOL_SECRET = ""
    data = body()
    response = post(data, signed(data))
    assert response.status_code == 404 and response.json()["error"]["code"] == "diagnostics-not-configured"


@pytest.mark.parametrize("stamp", ["²", "１７９６００００００", "-1", "9" * 40])
def test_a_signed_time_that_is_not_plain_seconds_is_refused_as_stale(stamp):
    data, nonce = body(), secrets.token_hex(16)
    headers = {"HTTP_X_SIGNATURE_TIMESTAMP": stamp, "HTTP_X_SIGNATURE_NONCE": nonce,
               "HTTP_X_SIGNATURE": signature_for(SECRET, stamp, nonce, data)}
    response = post(data, headers)
    assert response.status_code == 401 and response.json()["error"]["code"] == "signature-stale"
    assert DiagnosticResult.objects.count() == 0

"""The carrier's scans through the API: a signed, fresh scan moves the order along the leg its
tracking number names, once per event; a tampered, unsigned, stale, replayed or senseless one,
or one for a parcel we never sent, is refused with a clear error and nothing written."""

from __future__ import annotations

import datetime as dt
import json
import secrets

import pytest
from django.test import Client

from aftersales.core.testing import NOW
from aftersales.csr.applications import order_apply
from aftersales.csr.conftest import APPLICATION
from aftersales.csr.models import CarrierNonce, CarrierScan, Order, OrderEvent
from aftersales.csr.services import order_ship
from aftersales.csr.signing import signature_for

pytestmark = pytest.mark.django_db

SECRET = "shared-with-the-carrier-" + "c" * 24
URL = "/api/v1/self-repair/carrier-scans"
OUTBOUND = "1Z999AA10123456784"


@pytest.fixture(autouse=True)
def secret(settings):
    settings.CARRIER_SCAN_SECRET = SECRET


@pytest.fixture
def order(programme) -> Order:
    """An order whose part was shipped with the tracking number OUTBOUND."""
    placed = order_apply(**APPLICATION, now=NOW - dt.timedelta(days=1))
    return order_ship(number=placed.number, tracking=OUTBOUND, actor="staff1", now=NOW - dt.timedelta(hours=20))


def body(**fields) -> bytes:
    scan = {"event_id": "evt-0001", "tracking": OUTBOUND, "event": "delivered",
            "time": (NOW - dt.timedelta(minutes=30)).isoformat()}
    return json.dumps(scan | fields).encode()


def signed(data: bytes, *, at: dt.datetime = NOW, secret: str = SECRET) -> dict:
    nonce, stamp = secrets.token_hex(16), str(int(at.timestamp()))
    return {"HTTP_X_SIGNATURE_TIMESTAMP": stamp, "HTTP_X_SIGNATURE_NONCE": nonce,
            "HTTP_X_SIGNATURE": signature_for(secret, stamp, nonce, data)}


def post(data: bytes, headers: dict | None = None):
    return Client().post(URL, data, content_type="application/json",
                         **(signed(data) if headers is None else headers))


def status_of(order: Order) -> str:
    return Order.objects.get(pk=order.pk).status


def written() -> tuple[int, int, int]:
    return CarrierScan.objects.count(), CarrierNonce.objects.count(), OrderEvent.objects.count()


def test_the_part_delivered_to_the_customer_moves_the_order_to_delivered(order):
    response = post(body())
    assert response.status_code == 201, response.content
    assert response.json() == {"event_id": "evt-0001", "leg": "outbound", "event": "delivered", "status": "delivered",
                               "recorded": True}
    assert status_of(order) == "delivered"
    assert OrderEvent.objects.filter(order=order).last().actor == "carrier"


def test_the_part_picked_up_and_in_transit_is_recorded_and_the_order_stays_shipped(order):
    for n, event in enumerate(["picked-up", "in-transit"]):
        response = post(body(event_id=f"evt-{n}", event=event, tracking=OUTBOUND.lower()))
        assert response.status_code == 201 and response.json()["status"] == "shipped"
    assert status_of(order) == "shipped"
    assert list(CarrierScan.objects.values_list("event", "leg")) == [("picked-up", "outbound"),
                                                                      ("in-transit", "outbound")]


def test_the_return_picked_up_moves_the_order_to_return_sent_and_later_events_of_that_leg_keep_it(order):
    for n, event in enumerate(["picked-up", "in-transit", "delivered"]):
        response = post(body(event_id=f"ret-{n}", tracking=order.return_tracking, event=event))
        assert response.status_code == 201 and response.json()["leg"] == "return"
        assert response.json()["status"] == "return-sent"
    assert [e.to_status for e in OrderEvent.objects.filter(order=order)] == ["deposit-held", "shipped", "return-sent"]


def test_the_same_event_sent_again_with_a_new_signature_answers_as_before_and_changes_nothing(order):
    assert post(body()).status_code == 201
    before = CarrierScan.objects.count(), OrderEvent.objects.count()
    again = post(body())
    assert again.status_code == 200 and again.json()["recorded"] is False and again.json()["status"] == "delivered"
    assert (CarrierScan.objects.count(), OrderEvent.objects.count()) == before


def test_an_event_id_sent_again_with_another_scan_is_refused(order):
    assert post(body()).status_code == 201
    before = written()
    response = post(body(tracking=order.return_tracking, event="picked-up"))
    assert response.status_code == 409 and response.json()["error"]["code"] == "event-id-reused"
    assert written() == before and status_of(order) == "delivered"


def test_the_same_signed_request_sent_twice_is_refused_the_second_time(order):
    data = body()
    headers = signed(data)
    assert post(data, headers).status_code == 201
    before = written()
    again = post(data, headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "signature-replayed"
    assert written() == before


@pytest.mark.parametrize("tamper", ["body", "secret", "signature"])
def test_a_tampered_scan_is_refused_and_nothing_is_written(order, tamper):
    data = body()
    headers = signed(data, secret="another secret" if tamper == "secret" else SECRET)
    if tamper == "body":
        data = body(tracking=order.return_tracking, event="picked-up")
    if tamper == "signature":
        good = headers["HTTP_X_SIGNATURE"]
        headers["HTTP_X_SIGNATURE"] = good[:-1] + ("1" if good.endswith("0") else "0")
    before = written()
    response = post(data, headers)
    assert response.status_code == 401 and response.json()["error"]["code"] == "signature-invalid"
    assert written() == before and status_of(order) == "shipped"


def test_an_unsigned_or_stale_scan_is_refused(order):
    data = body()
    unsigned = post(data, {})
    stale = post(data, signed(data, at=NOW - dt.timedelta(minutes=10)))
    assert (unsigned.status_code, unsigned.json()["error"]["code"]) == (401, "signature-missing")
    assert (stale.status_code, stale.json()["error"]["code"]) == (401, "signature-stale")
    assert CarrierScan.objects.count() == 0 and status_of(order) == "shipped"


def test_a_scan_of_a_parcel_we_never_sent_is_refused_and_nothing_is_written(order):
    before = written()
    response = post(body(tracking="1Z999AA10000000000"))
    assert response.status_code == 404 and response.json()["error"]["code"] == "unknown-tracking"
    assert response.json()["error"]["zh"] and written() == before


def test_a_return_picked_up_before_the_part_was_shipped_is_refused_by_the_orders_life(programme):
    placed = order_apply(**APPLICATION, now=NOW - dt.timedelta(days=1))
    before = written()
    response = post(body(tracking=placed.return_tracking, event="picked-up"))
    assert response.status_code == 409 and response.json()["error"]["code"] == "order-step-not-allowed"
    assert written() == before and status_of(placed) == "deposit-held"


def test_without_a_shared_secret_the_service_takes_no_scans(order, settings):
    settings.CARRIER_SCAN_SECRET = ""
    response = post(body())
    assert response.status_code == 404 and response.json()["error"]["code"] == "carrier-scans-not-configured"
    assert CarrierScan.objects.count() == 0


AGO = NOW - dt.timedelta(minutes=30)
# (body, the error code it gets): each signed correctly, none of them a scan that makes sense
HOSTILE = [
    (b"", "invalid-json"),
    (b'{"event_id": "evt-1", "tracking"', "invalid-json"),
    (b"[" * 5000 + b"]" * 5000, "invalid-json"),
    (b"\xff\xfe{}", "invalid-json"),
    (b"null", "invalid-request"),
    (b'["evt-1", "1Z999AA10123456784"]', "invalid-request"),
    (body(event_id=12), "invalid-request"),
    (body(event_id=""), "invalid-request"),
    (body(event_id="e" * 65), "invalid-request"),
    (body(event_id="evt 1; DROP TABLE"), "invalid-request"),
    (body(event_id="evt-1\x00"), "invalid-request"),
    (body(tracking=None), "invalid-request"),
    (body(tracking=""), "invalid-request"),
    (body(tracking="1" * 41), "invalid-request"),
    (body(tracking=[OUTBOUND]), "invalid-request"),
    (body(tracking="１Ｚ999AA10123456784"), "invalid-request"),
    (body(tracking="1Z999AA1012345678%"), "invalid-request"),
    (body(event="lost"), "invalid-request"),
    (body(event="DELIVERED"), "invalid-request"),
    (body(event=None), "invalid-request"),
    (body(time=AGO.replace(tzinfo=None).isoformat()), "invalid-request"),
    (body(time="yesterday"), "invalid-request"),
    (body(time=1717200000), "invalid-request"),
    (body(time=(NOW - dt.timedelta(days=100)).isoformat()), "invalid-request"),
    (body(time=(NOW + dt.timedelta(hours=1)).isoformat()), "invalid-request"),
    (body(time="9999-12-31T23:59:59+00:00"), "invalid-request"),
    (body(time="2" * 10_000), "invalid-request"),
]


@pytest.mark.parametrize(("data", "code"), HOSTILE, ids=[f"hostile-{n}" for n in range(len(HOSTILE))])
def test_a_hostile_scan_is_refused_with_its_reason_and_nothing_is_written(order, data, code):
    before = written()
    response = post(data)
    error = response.json()["error"]
    assert response.status_code == 400 and error["code"] == code
    assert error["en"] and error["zh"] and len(error["en"]) < 200
    assert written() == before and status_of(order) == "shipped"


def test_an_administrator_sees_the_scans_in_the_admin_and_cannot_change_them(order):
    from aftersales.core.testing import role_user

    # given a delivered scan
    assert post(body()).status_code == 201
    admin = Client()
    admin.force_login(role_user("admin"))
    # then the admin lists it, and offers no way to add one
    listing = admin.get("/admin/csr/carrierscan/")
    assert listing.status_code == 200 and OUTBOUND in listing.content.decode()
    assert admin.get("/admin/csr/carrierscan/add/").status_code == 403

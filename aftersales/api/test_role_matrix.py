"""Role × action × centre over every API operation, read from ``roles.ACTIONS`` and
``accounts.scope`` so the tables and the API cannot drift apart; and the API's answer to a write
that rides on a signed-in person's session cookie from another site."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client

from aftersales.accounts.roles import ACTIONS, ANONYMOUS
from aftersales.accounts.scope import AT_THEIR_CENTRES
from aftersales.api.api import OPERATION_ACTIONS
from aftersales.centres.models import ServiceCentre
from aftersales.core.testing import ROLE_NAMES, device_made, role_user, shipped_packs_loaded
from aftersales.repairs.models import Case

pytestmark = pytest.mark.django_db

CALLS = {
    "device_warranty": ("get", "/api/v1/devices/NOPE0001/warranty", {"part": "cpu"}),
    "create_decision": ("post", "/api/v1/warranty/decisions", {"serial": "NOPE0001", "part": "cpu"}),
    "lookup": ("post", "/api/v1/cases/lookup", {"number": "R" + "Y" * 11, "contact": "a@b.cd"}),
    "book": ("post", "/api/v1/cases", {"centre": "none"}),
    "diagnostic_result_post": ("post", "/api/v1/self-repair/diagnostic-results", {}),
    "carrier_scan_post": ("post", "/api/v1/self-repair/carrier-scans", {}),
}
BOOKING = {"centre": "sh-01", "kind": "mail-in", "customer_name": "Zhao Min", "email": "zhao@example.com",
           "serial": "AI000042", "symptoms": ["Screen flickers"], "language": "en",
           "ack_data_loss": True, "ack_passwords": True, "ack_peripherals": True}


def test_every_operation_in_the_schema_names_its_action():
    schema = Client().get("/api/v1/openapi.json").json()
    operations = {op["operationId"].rsplit("_api_", 1)[-1]: op for path in schema["paths"].values()
                  for op in path.values()}
    names = {name for name in OPERATION_ACTIONS if any(key.endswith(name) for key in operations)}
    assert names == set(OPERATION_ACTIONS) == set(CALLS)
    assert len(operations) == len(OPERATION_ACTIONS)
    assert all(action in ACTIONS for action in OPERATION_ACTIONS.values())


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("operation", sorted(CALLS))
def test_each_role_is_let_through_or_refused_as_the_table_says(role, operation):
    cache.clear()
    client = Client()
    if role != ANONYMOUS:
        client.force_login(role_user(role))
    method, path, body = CALLS[operation]
    if method == "get":
        response = client.get(path, body)
    else:
        response = client.post(path, body, content_type="application/json")
    allowed = role in ACTIONS[OPERATION_ACTIONS[operation]]
    assert (response.status_code == 403) == (not allowed), response.content
    assert response.status_code != 500


@pytest.fixture
def shanghai_case():
    """A case booked at Shanghai (through the API, as another system would), and Beijing."""
    cache.clear()
    shipped_packs_loaded()
    for code, city in (("sh-01", "Shanghai"), ("bj-01", "Beijing")):
        ServiceCentre.objects.create(code=code, name_en=city, name_zh=city, region="CN", city=city,
                                     timezone="Asia/Shanghai")
    device_made("AI000042", "aio", dt.date(2024, 5, 1), "CN", model="V241")
    response = Client().post("/api/v1/cases", BOOKING, content_type="application/json")
    assert response.status_code == 201
    return Case.objects.get(number=response.json()["number"])


@pytest.mark.parametrize("where", ["sh-01", "bj-01"])
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_from_each_centre_looks_up_and_books_as_the_tables_say(shanghai_case, role, where):
    # given a user in the role (or nobody), working at the case's centre or at another
    client = Client()
    if role != ANONYMOUS:
        client.force_login(role_user(role, centres=ServiceCentre.objects.filter(code=where)))
    # when they follow the Shanghai case with its number and contact, and book one at Shanghai
    cache.clear()
    lookup = client.post("/api/v1/cases/lookup", {"number": shanghai_case.number, "contact": "zhao@example.com"},
                         content_type="application/json")
    booking = client.post("/api/v1/cases", BOOKING, content_type="application/json")
    # and with someone else's contact (a customer trying a number that is not theirs)
    not_theirs = client.post("/api/v1/cases/lookup", {"number": shanghai_case.number, "contact": "li@example.com"},
                             content_type="application/json")
    # then the look-up answers everyone who has the number and the contact, wherever they work:
    # the proof is the contact on file, not the centre or the role
    assert lookup.status_code == 200 and lookup.json()["number"] == shanghai_case.number
    assert not_theirs.status_code == 404 and not_theirs.json()["error"]["code"] == "case-not-found"
    assert shanghai_case.customer_name not in not_theirs.content.decode()
    # and staff, technicians and verifiers book only at their own centres
    if role in AT_THEIR_CENTRES and where != "sh-01":
        assert booking.status_code == 403 and booking.json()["error"]["code"] == "not-your-centre"
    else:
        assert booking.status_code == 201, booking.content


# --- writes that ride on a session cookie ---------------------------------------------------------
def strict_client(**headers) -> Client:
    """A client that, like a browser, gets Django's CSRF checks."""
    return Client(enforce_csrf_checks=True, **headers)


def test_a_signed_in_post_from_another_site_is_refused(shanghai_case):
    # given a member of staff signed in, whose browser another site makes post to the API
    browser = strict_client(HTTP_ORIGIN="https://evil.example")
    browser.force_login(role_user("staff", centres=[shanghai_case.centre]))
    response = browser.post("/api/v1/cases", BOOKING, content_type="application/json")
    # then the write is refused, in both languages, and nothing is booked
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "cross-site-request" and error["zh"]
    assert Case.objects.count() == 1


def test_a_signed_in_post_without_the_csrf_token_is_refused_even_without_an_origin(shanghai_case):
    browser = strict_client()
    browser.force_login(role_user("staff", centres=[shanghai_case.centre]))
    response = browser.post("/api/v1/cases/lookup", {"number": shanghai_case.number, "contact": "zhao@example.com"},
                            content_type="application/json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "cross-site-request"


def test_a_signed_in_post_from_our_own_pages_with_the_token_goes_through(shanghai_case):
    browser = strict_client(HTTP_ORIGIN="http://testserver")
    browser.force_login(role_user("staff", centres=[shanghai_case.centre]))
    browser.get("/console/login/")  # any page of ours sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = browser.post("/api/v1/cases", BOOKING, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_other_systems_post_without_signing_in_and_without_a_token(shanghai_case):
    other_system = strict_client(HTTP_ORIGIN="https://partner.example")
    cache.clear()
    assert other_system.post("/api/v1/cases", BOOKING, content_type="application/json").status_code == 201
    lookup = other_system.post("/api/v1/cases/lookup", {"number": shanghai_case.number, "contact": "zhao@example.com"},
                               content_type="application/json")
    assert lookup.status_code == 200
    # and reading needs no token either, signed in or not
    signed_in = strict_client(HTTP_ORIGIN="https://evil.example")
    signed_in.force_login(role_user("auditor"))
    assert signed_in.get("/api/v1/devices/AI000042/warranty", {"part": "cpu"}).status_code == 200

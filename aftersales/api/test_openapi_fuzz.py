"""Every operation of the OpenAPI schema, called with requests generated from the schema itself
(schemathesis), anonymous and signed in: no answer is a server error, and every answer matches
the status and shape the schema declares for it."""

import datetime as dt

import pytest
import schemathesis
from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from aftersales.centres.models import ServiceCentre
from aftersales.core.testing import device_made, role_user, shipped_packs_loaded

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def world():
    cache.clear()
    shipped_packs_loaded()
    ServiceCentre.objects.create(code="sh-01", name_en="Shanghai Xuhui", name_zh="上海徐汇", region="CN",
                                 city="Shanghai", timezone="Asia/Shanghai")
    device_made("AI000042", "aio", dt.date(2024, 5, 1), "CN", model="V241")
    # the requests run on this test's database transaction, as Django's test client runs them
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def administrator() -> dict:
    """The session cookie of a signed-in administrator, to send with generated requests."""
    client = Client()
    client.force_login(role_user("admin"))
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


# A request the schema allows may still break a rule of the business (an unknown serial, a date
# that does not exist, a part the product lacks): it is refused with a declared 400/404/422.
DOMAIN_RULES = [positive_data_acceptance]
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
BUDGET = hypothesis_settings(max_examples=25, derandomize=True, deadline=None, database=None,
                              suppress_health_check=list(HealthCheck))


@schema.parametrize()
@BUDGET
def test_every_operation_answers_an_anonymous_client_as_its_schema_declares(case):
    case.call_and_validate(excluded_checks=DOMAIN_RULES)


@schema.parametrize()
@BUDGET
def test_every_operation_answers_a_signed_in_administrator_as_its_schema_declares(case, administrator):
    response = case.call_and_validate(cookies=administrator, excluded_checks=DOMAIN_RULES)
    assert administrator[settings.SESSION_COOKIE_NAME] in response.request.headers["Cookie"]

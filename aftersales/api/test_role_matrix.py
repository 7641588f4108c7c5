"""Role × action over every API operation, read from ``roles.ACTIONS`` so the two cannot drift."""

import pytest
from django.core.cache import cache
from django.test import Client

from aftersales.accounts.roles import ACTIONS, ANONYMOUS
from aftersales.api.api import OPERATION_ACTIONS
from aftersales.core.testing import ROLE_NAMES, role_user

pytestmark = pytest.mark.django_db

CALLS = {
    "device_warranty": ("get", "/api/v1/devices/NOPE0001/warranty", {"part": "cpu"}),
    "create_decision": ("post", "/api/v1/warranty/decisions", {"serial": "NOPE0001", "part": "cpu"}),
    "lookup": ("post", "/api/v1/cases/lookup", {"number": "R" + "Y" * 11, "contact": "a@b.cd"}),
    "book": ("post", "/api/v1/cases", {"centre": "none"}),
}


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

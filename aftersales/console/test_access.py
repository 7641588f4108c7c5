"""Who may open each console and admin page: every role against every page, with the expected
answer read from ``roles.ACTIONS`` so that the table and the pages cannot drift apart.

The Django admin is for administrators: a page there opens when the user has admin-site access
(``is_staff``) *and* the role table allows the page's action.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.contrib import admin
from django.urls import URLPattern, reverse

from aftersales.accounts.roles import ACTIONS, ANONYMOUS
from aftersales.console.urls import urlpatterns as console_urls
from aftersales.core.testing import ROLE_NAMES, role_user
from aftersales.warranty.models import Device, PolicyPack

# url name, url kwargs, the action the page performs, where it lives
PAGES = [
    ("console:dashboard", {}, "console.view", "console"),
    ("console:devices", {}, "devices.view", "console"),
    ("console:device", {"serial": "HD000001"}, "devices.view", "console"),
    ("console:packs", {}, "packs.view", "console"),
    ("admin:warranty_policypack_changelist", {}, "packs.view", "admin"),
    ("admin:warranty_policypack_change", {"object_id": "first-pack"}, "packs.view", "admin"),
    ("admin:warranty_policypack_load", {}, "packs.load", "admin"),
    ("admin:warranty_device_changelist", {}, "devices.view", "admin"),
    ("admin:warranty_device_import", {}, "devices.import", "admin"),
]
PUBLIC_CONSOLE_PAGES = {"console:login", "console:logout"}


def url_of(name: str, kwargs: dict) -> str:
    if kwargs.get("object_id") == "first-pack":
        kwargs = {"object_id": PolicyPack.objects.order_by("pk").first().pk}
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(("name", "kwargs", "action", "site"), PAGES, ids=[p[0] for p in PAGES])
def test_each_role_opens_exactly_the_pages_its_actions_allow(registry, role, name, kwargs, action, site):
    # given a user in the role (or nobody signed in)
    user = role_user(role)
    client = Client()
    if user is not None:
        client.force_login(user)
    allowed = role in ACTIONS[action] and (site == "console" or (user is not None and user.is_staff))
    # when they open the page
    url = url_of(name, kwargs)
    response = client.get(url)
    # then it opens when the table allows it, and is refused otherwise
    if allowed:
        assert response.status_code == 200, (role, url)
    elif role == ANONYMOUS or site == "admin" and not user.is_staff:
        login = "/console/login/" if site == "console" else "/admin/login/"
        assert response.status_code == 302 and response["Location"].startswith(login), (role, url)
    else:
        assert response.status_code == 403, (role, url)


def test_every_console_page_is_in_the_matrix_and_names_its_action():
    named = {f"console:{p.name}" for p in console_urls if isinstance(p, URLPattern)}
    in_matrix = {name for name, *_ in PAGES if name.startswith("console:")}
    assert named - PUBLIC_CONSOLE_PAGES == in_matrix
    for pattern in console_urls:
        if f"console:{pattern.name}" in PUBLIC_CONSOLE_PAGES:
            continue
        action = next(a for n, _, a, _ in PAGES if n == f"console:{pattern.name}")
        assert pattern.callback.required_action == action


def test_every_admin_page_we_add_is_in_the_matrix():
    standard = ("_changelist", "_add", "_history", "_delete", "_change", "_autocomplete")
    added = {f"admin:{p.name}" for model in (PolicyPack, Device)
             for p in admin.site._registry[model].get_urls()
             if isinstance(p, URLPattern) and p.name and not p.name.endswith(standard)}
    assert added == {"admin:warranty_policypack_load", "admin:warranty_device_import"}
    assert added <= {name for name, *_ in PAGES}


@pytest.mark.parametrize(("name", "action"), [("admin:warranty_policypack_load", "packs.load"),
                                              ("admin:warranty_device_import", "devices.import")])
def test_admin_site_access_alone_does_not_open_an_upload_page(registry, name, action):
    # given a technician who was given admin-site access
    technician = role_user("technician", is_staff=True)
    assert "technician" not in ACTIONS[action]
    client = Client()
    client.force_login(technician)
    # then the upload pages still refuse them
    assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse(name)).status_code == 403


def test_a_customer_who_signs_in_to_the_console_is_refused_not_shown_staff_tools(registry):
    customer = role_user("customer")
    client = Client()
    client.force_login(customer)
    response = client.get("/console/")
    assert response.status_code == 403
    assert "This page is not open to your account" in response.content.decode()


def test_the_dashboard_lists_only_the_tools_the_role_may_use(registry):
    client = Client()
    client.force_login(role_user("verifier"))
    text = client.get("/console/").content.decode()
    assert "Policy packs" in text and "Look up a device" not in text and "Load a policy pack" not in text
    client.force_login(role_user("admin"))
    text = client.get("/console/").content.decode()
    assert all(t in text for t in ("Look up a device", "Policy packs", "Load a policy pack",
                                   "Import the serial registry"))


def test_signing_in_and_out_uses_our_pages(registry):
    role_user("staff", username="li")
    client = Client()
    assert "Staff sign-in" in client.get("/console/login/").content.decode()
    response = client.post("/console/login/", {"username": "li", "password": "not-used-pw"})
    assert response.status_code == 302 and response["Location"] == "/console/"
    assert client.get("/console/").status_code == 200
    response = client.post("/console/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/console/").status_code == 302

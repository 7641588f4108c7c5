"""Who may open each console and admin page: every role against every page, with the expected
answer read from ``roles.ACTIONS`` so that the table and the pages cannot drift apart — and, for
the pages of one case, from the case's own centre and from another centre, with the expected
answer read from ``accounts.scope`` (the roles that read every centre).

The Django admin is for administrators: a page there opens when the user has admin-site access
(``is_staff``) *and* the role table allows the page's action.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, reverse

from aftersales.accounts.roles import ACTIONS, ANONYMOUS
from aftersales.accounts.scope import EVERY_CENTRE_ROLES
from aftersales.billing.models import FairMarketValue, PartPrice
from aftersales.console.conftest import book, moved
from aftersales.centres.models import ServiceCentre
from aftersales.console.urls import urlpatterns as console_urls
from aftersales.core import clock
from aftersales.core.testing import ROLE_NAMES, role_user
from aftersales.invoicing.services import Line, invoice_issue
from aftersales.onsite.fixtures import technician_with_hours
from aftersales.onsite.models import VisitStatus
from aftersales.onsite.visits import Site, visit_book
from aftersales.repairs.diagnosis import damage_propose
from aftersales.repairs.models import Case, PartUsage
from aftersales.repairs.quotations import quotation_draft
from aftersales.repairs.returns import follow_up_open
from aftersales.warranty.models import Device, PolicyPack

# url name, url kwargs, the action the page performs, where it lives
PAGES = [
    ("console:dashboard", {}, "console.view", "console"),
    ("console:charts", {}, "dashboard.view", "console"),
    ("console:devices", {}, "devices.view", "console"),
    ("console:device", {"serial": "HD000001"}, "devices.view", "console"),
    ("console:packs", {}, "packs.view", "console"),
    ("console:prices", {}, "prices.view", "console"),
    ("console:values", {}, "prices.view", "console"),
    ("console:cases", {}, "case.view", "console"),
    ("console:case-new", {}, "case.intake", "console"),
    ("console:case-search", {}, "case.view", "console"),
    ("console:admin", {}, "admin.view", "console"),
    ("console:admin-pack-load", {}, "packs.load", "console"),
    ("console:admin-devices-import", {}, "devices.import", "console"),
    ("console:admin-centres", {}, "people.manage", "console"),
    ("console:admin-people", {}, "people.manage", "console"),
    ("console:admin-person-new", {}, "people.manage", "console"),
    ("console:case", {"number": "the-case"}, "case.view", "console"),
    ("console:case-report", {"number": "the-case"}, "case.view", "console"),
    ("console:case-job-sheet", {"number": "the-case"}, "case.view", "console"),
    ("console:case-label", {"number": "the-case"}, "case.view", "console"),
    ("console:case-document", {"number": "the-case", "document": "invoice"}, "invoice.view", "console"),
    ("admin:warranty_policypack_changelist", {}, "packs.view", "admin"),
    ("admin:warranty_policypack_change", {"object_id": "first-pack"}, "packs.view", "admin"),
    ("admin:warranty_policypack_load", {}, "packs.load", "admin"),
    ("admin:warranty_device_changelist", {}, "devices.view", "admin"),
    ("admin:warranty_device_import", {}, "devices.import", "admin"),
]
# The posts of the case page: url name, url kwargs, the action the door checks. Each service
# checks again; these rows are about the door.
CASE = {"number": "the-case"}
POSTS = [
    ("console:case-move", CASE, "case.view"),
    ("console:case-finding", {**CASE, "position": 1}, "case.diagnose"),
    ("console:case-qa", {**CASE, "position": 1}, "case.repair"),
    ("console:case-test", CASE, "case.diagnose"),
    ("console:case-warranty", CASE, "case.diagnose"),
    ("console:case-damage-propose", CASE, "damage.propose"),
    ("console:case-damage-decide", {**CASE, "pk": "damage"}, "damage.decide"),
    ("console:case-evidence", CASE, "evidence.add"),
    ("console:case-quotation", CASE, "quote.author"),
    ("console:case-quotation-verify", {**CASE, "pk": "quotation"}, "quote.verify"),
    ("console:case-quotation-send", {**CASE, "pk": "quotation"}, "quote.author"),
    ("console:case-quotation-answer", {**CASE, "pk": "quotation"}, "quote.record-answer"),
    ("console:case-fit", CASE, "case.repair"),
    ("console:case-part-returned", {**CASE, "pk": "usage"}, "case.repair"),
    ("console:case-follow-up", {**CASE, "pk": "follow-up"}, "follow-up.resolve"),
    ("console:case-message", CASE, "message.write"),
    ("console:case-ship", CASE, "case.ship"),
    ("console:case-delivered", CASE, "case.ship"),
    ("console:case-collect", CASE, "case.ship"),
    ("console:case-advance", CASE, "case.ship"),
    ("console:case-payment", CASE, "payment.take"),
]
# The posts of the price-list pages: url name, url kwargs, the action the door checks.
PRICE_POSTS = [
    ("console:price-new", {}, "prices.manage"),
    ("console:price-end", {"pk": "price"}, "prices.manage"),
    ("console:value-new", {}, "prices.manage"),
    ("console:value-end", {"pk": "value"}, "prices.manage"),
]
# The day board (of the visit's centre, named in the address), the visit page and its posts:
# url name, url kwargs, the action the door checks.
VISIT = {"public_id": "the-visit"}
VISIT_PAGES = [("console:visits", {}, "case.view"), ("console:visit", VISIT, "case.view")]
VISIT_POSTS = [
    ("console:visit-reassign", VISIT, "visit.manage"),
    ("console:visit-reschedule", VISIT, "visit.manage"),
    ("console:visit-fee", VISIT, "visit.manage"),
    ("console:visit-check-in", VISIT, "visit.work"),
    ("console:visit-check-out", VISIT, "visit.work"),
    ("console:visit-cancel", VISIT, "visit.manage"),
]
# The forms of the administration pages: url name, url kwargs, the action the door checks.
ADMIN_POSTS = [
    ("console:admin-pack-load", {}, "packs.load"),
    ("console:admin-devices-import", {}, "devices.import"),
    ("console:admin-centres", {}, "people.manage"),
    ("console:admin-person-new", {}, "people.manage"),
    ("console:admin-person", {"pk": "someone"}, "people.manage"),
]
# The executive-care pages and posts (only executive care works disputes): url name, url kwargs, the action.
DISPUTE = {"number": "the-dispute"}
DISPUTE_PAGES = [("console:disputes", {}, "dispute.work"), ("console:dispute", DISPUTE, "dispute.work"),
                 ("console:dispute-document", {**DISPUTE, "pk": "document"}, "dispute.work")]
DISPUTE_POSTS = [("console:dispute-assign", DISPUTE, "dispute.work"), ("console:dispute-note", DISPUTE, "dispute.work"),
                 ("console:dispute-resolve", {**DISPUTE, "kind": "other"}, "dispute.work"),
                 ("console:dispute-close", DISPUTE, "dispute.work"), ("console:dispute-ask", DISPUTE, "dispute.work"),
                 ("console:dispute-answered", DISPUTE, "dispute.work")]
# The status line of one registry import (opened by each role in test_administration.py).
IMPORT_PAGES = [("console:admin-devices-import-status", {"pk": "import"}, "devices.import")]
# The overcharge audit's pages and posts (opened and posted by each role in audit/test_console.py).
AUDIT_PAGES = [("console:audit", {}, "audit.run"), ("console:audit-start", {}, "audit.run"),
               ("console:audit-run-status", {"pk": "run"}, "audit.run"),
               ("console:audit-finding", {"pk": "finding"}, "audit.run"),
               ("console:audit-finding-approve", {"pk": "finding"}, "audit.review"),
               ("console:audit-finding-reject", {"pk": "finding"}, "audit.review")]
PUBLIC_CONSOLE_PAGES = {"console:login", "console:logout"}


@pytest.fixture
def the_case(registry, centres):
    """A case in diagnosis with one of everything a post can name: a damage proposal, a quotation
    waiting to be sent, a fitted part and an open follow-up."""
    case = moved(book(), "received", "diagnosing")
    author = role_user("staff", username="author", centres=[case.centre])
    proposal = damage_propose(number=case.number, code="liquid-damage", explanation="Corrosion", actor=author,
                              now=clock.now())
    line = {"service": "deep-cleaning", "text_en": "Deep cleaning.", "text_zh": "深层清洁。"}
    quotation = quotation_draft(number=case.number, lines=[line], author=author, now=clock.now())
    usage = PartUsage.objects.create(case=case, part="psu", covered=True, fitted_at=clock.now())
    follow_up = follow_up_open(case=case, about="quotation", message="What is deep cleaning?", now=clock.now())
    invoice = invoice_issue(key="the-case-1", case=case, lines=[Line("Deep cleaning", "深层清洁", "120.00")],
                            currency="CNY", now=clock.now())
    return {"the-case": case.number, "damage": proposal.pk, "quotation": quotation.pk, "usage": usage.pk,
            "follow-up": follow_up.pk, "invoice": invoice.number}


def url_of(name: str, kwargs: dict, objects: dict | None = None) -> str:
    if kwargs.get("object_id") == "first-pack":
        kwargs = {"object_id": PolicyPack.objects.order_by("pk").first().pk}
    if objects:
        kwargs = {k: objects[v] if k in ("number", "pk", "document") and isinstance(v, str) else v
                  for k, v in kwargs.items()}
    return reverse(name, kwargs=kwargs)


# Where the user works, for the pages of one case: at the case's centre, or at another one.
HOME, ELSEWHERE = "sh-01", "us-01"
# Each page, tried from each centre when it is the page of one case, once otherwise.
PAGE_TRIES = [(*page, where) for page in PAGES for where in ((HOME, ELSEWHERE) if "number" in page[1] else (HOME,))]


def works_at(role: str, code: str, **kwargs):
    """A user in ``role`` belonging to the centre ``code`` (None for the anonymous)."""
    return role_user(role, centres=ServiceCentre.objects.filter(code=code), **kwargs)


def in_reach(role: str, where: str) -> bool:
    """Whether the centre rule lets ``role`` working at ``where`` reach a case of Shanghai."""
    return where == HOME or role in EVERY_CENTRE_ROLES


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(("name", "kwargs", "action", "site", "where"), PAGE_TRIES,
                         ids=[f"{p[0]}@{p[4]}" for p in PAGE_TRIES])
def test_each_role_opens_exactly_the_pages_its_actions_allow(request, registry, centres, role, name, kwargs, action,
                                                              site, where):
    objects = request.getfixturevalue("the_case") if "number" in kwargs else None
    # given a user in the role (or nobody signed in), working at the case's centre or at another
    user = works_at(role, where)
    client = Client()
    if user is not None:
        client.force_login(user)
    allowed = role in ACTIONS[action] and (site == "console" or (user is not None and user.is_staff))
    # when they open the page
    url = url_of(name, kwargs, objects)
    response = client.get(url)
    # then it opens when the table allows it and the case is of a centre they read; a case of
    # another centre is not found; the table's refusals are as before
    if allowed and objects is not None and not in_reach(role, where):
        assert response.status_code == 404, (role, where, url)
    elif allowed:
        assert response.status_code == 200, (role, url)
    elif role == ANONYMOUS or site == "admin" and not user.is_staff:
        login = "/console/login/" if site == "console" else "/admin/login/"
        assert response.status_code == 302 and response["Location"].startswith(login), (role, url)
    else:
        assert response.status_code == 403, (role, url)


@pytest.mark.parametrize("where", [HOME, ELSEWHERE])
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_may_post_exactly_the_case_forms_its_actions_allow(the_case, role, where):
    # given a user in the role (or nobody signed in), working at the case's centre or at another,
    # and a case with something for every form
    user = works_at(role, where)
    client = Client()
    if user is not None:
        client.force_login(user)
    for name, kwargs, action in POSTS:
        url = url_of(name, kwargs, the_case)
        status = Case.objects.get(number=the_case["the-case"]).status
        # when they post the form empty
        response = client.post(url, {"move-expected": status})
        # then the door lets them through to the form (which may refuse the empty input), or
        # turns them away: the anonymous to sign in, others with 403, and those who may take the
        # action but work at another centre with 404, as if the case did not exist
        if role in ACTIONS[action] and not in_reach(role, where):
            assert response.status_code == 404, (role, where, url, response.status_code)
        elif role in ACTIONS[action]:
            assert response.status_code in (200, 302, 409, 422), (role, url, response.status_code)
            assert not response.get("Location", "").startswith("/console/login/"), (role, url)
        elif role == ANONYMOUS:
            assert response.status_code == 302 and response["Location"].startswith("/console/login/"), (role, url)
        else:
            assert response.status_code == 403, (role, url)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_may_post_exactly_the_price_forms_its_actions_allow(registry, role):
    # given a user in the role (or nobody signed in), and an open price and an open value
    rows = {"price": PartPrice.objects.create(part="psu", product_line="aio", region="CN", price=Decimal("300.00"),
                                              currency="CNY", valid_from=dt.date(2025, 1, 1)).pk,
            "value": FairMarketValue.objects.create(model="A5402WVA", region="CN", value=Decimal("4999.00"),
                                                    currency="CNY", valid_from=dt.date(2025, 1, 1)).pk}
    user = role_user(role)
    client = Client()
    if user is not None:
        client.force_login(user)
    for name, kwargs, action in PRICE_POSTS:
        url = reverse(name, kwargs={k: rows[v] for k, v in kwargs.items()})
        # when they post the form empty
        response = client.post(url, {})
        # then the door lets them through to the form, which refuses the empty input, or turns them away
        if role in ACTIONS[action]:
            assert response.status_code == 422, (role, url, response.status_code)
        elif role == ANONYMOUS:
            assert response.status_code == 302 and response["Location"].startswith("/console/login/"), (role, url)
        else:
            assert response.status_code == 403, (role, url)
    # and nothing was added or ended
    assert PartPrice.objects.filter(valid_to__isnull=True).count() == FairMarketValue.objects.count() == 1


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_may_post_exactly_the_administration_forms_its_actions_allow(registry, centres, role):
    # given a user in the role (or nobody signed in), and a member of staff at Shanghai
    someone = works_at("staff", HOME, username="someone")
    user = works_at(role, HOME)
    client = Client()
    if user is not None:
        client.force_login(user)
    before = (PolicyPack.objects.count(), Device.objects.count(), ServiceCentre.objects.count(),
              list(someone.groups.values_list("name", flat=True)))
    for name, kwargs, action in ADMIN_POSTS:
        url = reverse(name, kwargs={k: someone.pk for k in kwargs})
        # when they post the form empty
        response = client.post(url, {})
        # then the door lets them through to the form, which refuses the empty input, or turns them away
        if role in ACTIONS[action]:
            assert response.status_code == 422, (role, url, response.status_code)
        elif role == ANONYMOUS:
            assert response.status_code == 302 and response["Location"].startswith("/console/login/"), (role, url)
        else:
            assert response.status_code == 403, (role, url)
    # and nothing was loaded, imported, opened or changed
    assert before == (PolicyPack.objects.count(), Device.objects.count(), ServiceCentre.objects.count(),
                      list(someone.groups.values_list("name", flat=True)))


def test_every_console_page_is_in_the_matrix_and_names_its_action():
    named = {f"console:{p.name}" for p in console_urls if isinstance(p, URLPattern)}
    actions = {n: a for n, _, a, _ in PAGES} | {n: a for n, _, a in POSTS + PRICE_POSTS + VISIT_PAGES + VISIT_POSTS
                                                        + ADMIN_POSTS + DISPUTE_PAGES + DISPUTE_POSTS
                                                        + IMPORT_PAGES + AUDIT_PAGES}
    assert named - PUBLIC_CONSOLE_PAGES == {n for n in actions if n.startswith("console:")}
    assert {n for n, *_ in POSTS + PRICE_POSTS}.isdisjoint(n for n, *_ in PAGES)
    for pattern in console_urls:
        if f"console:{pattern.name}" in PUBLIC_CONSOLE_PAGES:
            continue
        assert pattern.callback.required_action == actions[f"console:{pattern.name}"], pattern.name
        assert pattern.callback.required_action in ACTIONS


@pytest.fixture
def the_visit(registry, centres, desktop_pack):
    """A visit booked for an on-site case of Shanghai, on Tuesday 3 June 2025 at 10:00 there."""
    ServiceCentre.objects.filter(code=HOME).update(latitude=Decimal("31.188"), longitude=Decimal("121.437"))
    technician = technician_with_hours(ServiceCentre.objects.get(code=HOME), "wang-wei")
    case = book(kind="onsite")
    return visit_book(numbers=[case.number], technician=technician.pk,
                      starts_at=dt.datetime(2025, 6, 3, 2, 0, tzinfo=dt.UTC), evening=False, site=Site("1 Huashan Road", "31.206", "121.437"), pack=desktop_pack,
                      onsite_eligible={}, actor=None, now=clock.now())


def visit_page_url(name: str, kwargs: dict, visit) -> str:
    if name == "console:visits":
        return f"{reverse(name)}?centre={HOME}"
    return reverse(name, kwargs={"public_id": visit.public_id} if kwargs else {})


@pytest.mark.parametrize("where", [HOME, ELSEWHERE])
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_opens_the_day_board_and_visit_page_of_the_centres_it_reads(the_visit, role, where):
    # given a user in the role (or nobody signed in), working at the visit's centre or at another
    user = works_at(role, where)
    client = Client()
    if user is not None:
        client.force_login(user)
    for name, kwargs, action in VISIT_PAGES:
        # when they open Shanghai's board, or the visit
        url = visit_page_url(name, kwargs, the_visit)
        response = client.get(url)
        # then it opens for the roles the table allows at a centre they read, is not found at another
        if role in ACTIONS[action] and not in_reach(role, where):
            assert response.status_code == 404, (role, where, url)
        elif role in ACTIONS[action]:
            assert response.status_code == 200, (role, url)
        elif role == ANONYMOUS:
            assert response.status_code == 302 and response["Location"].startswith("/console/login/"), (role, url)
        else:
            assert response.status_code == 403, (role, url)


@pytest.mark.parametrize("where", [HOME, ELSEWHERE])
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_may_post_exactly_the_visit_forms_its_actions_allow(the_visit, role, where):
    # given a user in the role (or nobody signed in), working at the visit's centre or at another
    user = works_at(role, where)
    client = Client()
    if user is not None:
        client.force_login(user)
    for name, kwargs, action in VISIT_POSTS:
        url = visit_page_url(name, kwargs, the_visit)
        # when they post the form empty
        response = client.post(url, {})
        # then the door lets them through to the form (which refuses the empty input, or the step),
        # or turns them away; a technician of another centre finds no such visit
        if role in ACTIONS[action] and not in_reach(role, where):
            assert response.status_code == 404, (role, where, url, response.status_code)
        elif role in ACTIONS[action]:
            assert response.status_code in (409, 422), (role, url, response.status_code)
        elif role == ANONYMOUS:
            assert response.status_code == 302 and response["Location"].startswith("/console/login/"), (role, url)
        else:
            assert response.status_code == 403, (role, url)
    # and the visit is as it was booked
    the_visit.refresh_from_db()
    assert the_visit.status == VisitStatus.BOOKED


def test_a_case_page_answers_only_the_method_it_is_for(the_case):
    client = Client()
    client.force_login(role_user("staff"))
    case_url = url_of("console:case", CASE, the_case)
    assert client.post(case_url).status_code == 405
    assert client.get(url_of("console:case-move", CASE, the_case)).status_code == 405


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
                                   "Import the serial registry", "Repair cases",
                                   "Book a repair at the counter"))


def test_the_dashboard_offers_the_case_tools_by_role(registry):
    client = Client()
    client.force_login(role_user("technician"))
    text = client.get("/console/").content.decode()
    assert "/console/cases/" in text and "/console/cases/new/" not in text
    client.force_login(role_user("staff", username="counter"))
    text = client.get("/console/").content.decode()
    assert "/console/cases/" in text and "/console/cases/new/" in text


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


@pytest.fixture
def the_dispute(registry, centres, settings, tmp_path):
    """A dispute about an older case, with one supporting document."""
    from aftersales.disputes.services import Filing, dispute_file

    settings.MEDIA_ROOT = tmp_path / "media"
    from io import BytesIO, StringIO

    from django.core.management import call_command

    call_command("load-sla-policies", stdout=StringIO())  # a dispute starts its service-level clocks

    from PIL import Image

    photo = BytesIO()
    Image.new("RGB", (4, 4), "white").save(photo, "PNG")
    dispute = dispute_file(filing=Filing(customer_name="Li Lei", case_number="NA-2011-0042", serial="HD000001",
                                         country="CN", what_happened="Overcharged.", email="li.lei@example.com"),
                           files=[_named("invoice.png", photo.getvalue())], actor=None, now=clock.now())
    return {"the-dispute": dispute.number, "document": dispute.files.get().pk}


def _named(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_only_executive_care_opens_and_posts_the_dispute_pages(the_dispute, role):
    # given a user in the role (or nobody signed in), and a dispute with a document
    user = works_at(role, HOME)
    client = Client()
    if user is not None:
        client.force_login(user)
    for name, kwargs, action in DISPUTE_PAGES + DISPUTE_POSTS:
        url = reverse(name, kwargs={k: the_dispute.get(v, v) for k, v in kwargs.items()})
        # when they open the page, or post the form empty
        response = client.get(url) if (name, kwargs, action) in DISPUTE_PAGES else client.post(url, {})
        # then executive care gets through (a form may refuse the empty input); everyone else is turned away
        if role in ACTIONS[action]:
            assert response.status_code in (200, 409, 422), (role, url, response.status_code)
        elif role == ANONYMOUS:
            assert response.status_code == 302 and response["Location"].startswith("/console/login/"), (role, url)
        else:
            assert response.status_code == 403, (role, url)

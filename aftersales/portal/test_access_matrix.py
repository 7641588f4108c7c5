"""Who opens each customer page: every page of the portal's URLconf, tried by each role (or
nobody signed in) on the customer's own case and on someone else's. A case's pages open to the
visitor who gave its number with the contact on file, or to the customer account that booked it,
and to nobody else, whatever their role or centre; the quotation link opens its own quotation's
photos and not another case's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from aftersales.billing.models import PartPrice
from aftersales.centres.models import ServiceCentre
from aftersales.conversation.models import Message
from aftersales.core import clock
from aftersales.core.testing import NOW, ROLE_NAMES, device_made, role_user
from aftersales.evidence.conftest import photo
from aftersales.invoicing.services import Line, invoice_issue
from aftersales.portal.test_case_pages import application, centre  # noqa: F401 (fixtures)
from aftersales.portal.urls import urlpatterns as portal_urls
from aftersales.repairs.diagnosis import finding_record, part_decide
from aftersales.repairs.evidence import case_evidence_add
from aftersales.repairs.models import Case
from aftersales.repairs.quotations import quotation_draft, quotation_send
from aftersales.repairs.services import case_move
from aftersales.repairs.status import Status

# Pages anyone opens: nothing on them belongs to a customer.
OPEN_PAGES = {"portal:home", "portal:warranty", "portal:apply", "portal:track", "portal:dispute"}
# The page confirming a dispute: only the browser that filed it sees it (disputes/test_pages.py).
FILED_PAGES = {"portal:dispute-filed"}
# The pages of one case, reached by its number once the visitor has opened it: url name, method.
CASE_PAGES = {"portal:case": "get", "portal:case-message": "post", "portal:case-report": "get",
              "portal:case-evidence": "get", "portal:case-visit": "get", "portal:case-visit-cancel": "post",
              "portal:case-document": "get"}
# The pages the signed quotation link opens: url name, method.
LINK_PAGES = {"portal:quotation": "get", "portal:quotation-photo": "get", "portal:quotation-unclear": "post"}

# Signing in and out: anyone reaches them (the link page needs its token, tried apart).
SIGN_IN_PAGES = {"portal:sign-in", "portal:sign-in-link-request", "portal:sign-in-link", "portal:sign-out"}
# The pages of a customer's own account: what belongs to the account signed in, and only to a customer.
ACCOUNT_PAGES = {"portal:my-cases", "portal:my-devices", "portal:my-password", "portal:my-phone"}


def test_every_customer_page_is_in_the_matrix():
    named = {f"portal:{p.name}" for p in portal_urls if isinstance(p, URLPattern)}
    assert named == OPEN_PAGES | set(CASE_PAGES) | set(LINK_PAGES) | SIGN_IN_PAGES | ACCOUNT_PAGES | FILED_PAGES


@pytest.mark.parametrize("name", sorted(OPEN_PAGES))
def test_the_open_pages_open_to_anyone(registry, centre, name):  # noqa: F811
    assert Client().get(reverse(name)).status_code == 200


def quoted_case(*, serial: str, email: str, staff) -> dict:
    """A case booked on the portal, with the customer's photo, a damage photo and a sent quotation."""
    Client().post("/repair/apply/", application(serial=serial, email=email))
    case = Case.objects.get(serial=serial)
    for step in (Status.RECEIVED, Status.DIAGNOSING):
        case_move(number=case.number, to=step, actor=staff, now=NOW)
    for position in (1, 2):
        finding_record(number=case.number, position=position, text="The disk has bad sectors.",
                       outcome="confirmed", part="hdd", actor=staff, now=NOW)
    part_decide(number=case.number, part="hdd", actor=staff, now=NOW)  # made 2020: out of warranty
    own = case_evidence_add(case=case, kind="customer", upload=photo(), name="mine.jpg", actor=None, now=NOW)
    damage = case_evidence_add(case=case, kind="damage", upload=photo(orientation=1), name="dent.jpg", actor=staff,
                               now=NOW)
    q = quotation_draft(number=case.number, author=staff, now=NOW, lines=[
        {"service": "part-replacement", "part": "hdd", "text_en": "Replace the failing hard disk.",
         "text_zh": "更换故障硬盘。"}])
    _, token = quotation_send(quotation_id=q.pk, actor=staff, now=NOW)
    invoice = invoice_issue(key=f"inspection-{serial}", case=case, lines=[Line("Inspection", "检测费", "50.00")],
                            currency="CNY", now=NOW)
    return {"case": case, "email": email, "photo": own.evidence.public_id, "damage": damage.evidence.public_id,
            "token": token, "invoice": invoice.number}


@pytest.fixture
def mine_and_theirs(registry, centre, settings, tmp_path):  # noqa: F811
    """Two out-of-warranty desktops repaired at Shanghai for two customers, each case quoted."""
    settings.MEDIA_ROOT = tmp_path
    device_made("HD000003", "home-desktop", dt.date(2020, 2, 10), "CN", model="D700MC")
    PartPrice.objects.create(part="hdd", product_line="home-desktop", region="CN", price=Decimal("299.00"),
                             currency="CNY", valid_from=dt.date(2024, 1, 1))
    staff = role_user("staff", username="bench", centres=[centre])
    with clock.frozen(NOW):
        return {"mine": quoted_case(serial="HD000002", email="wang@example.com", staff=staff),
                "theirs": quoted_case(serial="HD000003", email="li@example.com", staff=staff)}


def case_url(name: str, case: dict, photo_of: dict | None = None) -> str:
    kwargs = {"number": case["case"].number}
    if name == "portal:case-evidence":
        kwargs["public_id"] = (photo_of or case)["photo"]
    if name == "portal:case-document":
        kwargs["document"] = (photo_of or case)["invoice"]
    return reverse(name, kwargs=kwargs)


def link_url(name: str, link_of: dict, photo_of: dict | None = None) -> str:
    kwargs = {"token": link_of["token"]}
    if name == "portal:quotation-photo":
        kwargs["public_id"] = (photo_of or link_of)["damage"]
    return reverse(name, kwargs=kwargs)


def request(client: Client, method: str, url: str):
    return client.post(url, {"body": "Any news?", "message": "What is a sector?"}) if method == "post" \
        else client.get(url)


def answered_by_link(case: dict) -> None:
    """The customer declines the quotation, so the device goes back and the report is ready."""
    assert Client().post(reverse("portal:quotation", kwargs={"token": case["token"]}),
                         {"line-1": "decline"}).status_code == 302


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_opens_the_pages_of_the_case_it_looked_up_and_no_one_elses(mine_and_theirs, role):
    mine, theirs = mine_and_theirs["mine"], mine_and_theirs["theirs"]
    # given someone in the role (or nobody signed in; staff of the cases' own centre too) who
    # looked their case up with its number and the e-mail on file
    client = Client()
    user = role_user(role, centres=ServiceCentre.objects.all())
    if user is not None:
        client.force_login(user)
    assert client.post("/track/", {"number": mine["case"].number, "contact": mine["email"]}).status_code == 302
    with clock.frozen(NOW):
        # when they open each page of their case, and of someone else's
        for name, method in CASE_PAGES.items():
            if name == "portal:case-report":
                continue  # below, once the work is done
            # then theirs opens (a post goes back to the case page) ...
            own = request(client, method, case_url(name, mine))
            assert own.status_code == (302 if method == "post" else 200), (role, name, own.status_code)
            # ... and someone else's is not found, nor their photo under this case's number
            assert request(client, method, case_url(name, theirs)).status_code == 404, (role, name)
        assert client.get(case_url("portal:case-evidence", mine, photo_of=theirs)).status_code == 404
        assert client.get(case_url("portal:case-document", mine, photo_of=theirs)).status_code == 404
        # and the report, once both repairs are done, downloads for their case only
        answered_by_link(mine)
        answered_by_link(theirs)
        assert client.get(case_url("portal:case-report", mine)).status_code == 200
        assert client.get(case_url("portal:case-report", theirs)).status_code == 404
    # and nothing was written on the other case
    assert not Message.objects.filter(case=theirs["case"]).exists()


def test_a_signed_in_customer_opens_the_case_they_booked_and_no_one_elses(registry, centre):  # noqa: F811
    # given a customer who booked a repair while signed in, and another customer's case
    customer = role_user("customer", username="wang")
    client = Client()
    client.force_login(customer)
    client.post("/repair/apply/", application())
    Client().post("/repair/apply/", application(serial="HD000001", email="li@example.com"))
    own, other = Case.objects.get(customer=customer), Case.objects.exclude(customer=customer).get()
    # when they open the pages of each without looking either up
    # then their own opens and the other does not exist for them
    fresh = Client()
    fresh.force_login(customer)
    assert fresh.get(reverse("portal:case", kwargs={"number": own.number})).status_code == 200
    assert fresh.get(reverse("portal:case", kwargs={"number": other.number})).status_code == 404
    assert fresh.post(reverse("portal:case-message", kwargs={"number": other.number}),
                      {"body": "Hello"}).status_code == 404


@pytest.mark.parametrize("name", sorted(LINK_PAGES))
def test_a_quotation_link_opens_its_own_quotation_and_not_another_cases_photos(mine_and_theirs, name):
    mine, theirs = mine_and_theirs["mine"], mine_and_theirs["theirs"]
    method = LINK_PAGES[name]
    with clock.frozen(NOW):
        # given the link from the e-mail of one case, opened in a fresh browser
        # when it is opened, then its page opens (a post comes back to the link) ...
        response = request(Client(), method, link_url(name, mine))
        assert response.status_code == (302 if method == "post" else 200), (name, response.status_code)
        # ... but with someone else's damage photo, or a forged link, it opens nothing
        if name == "portal:quotation-photo":
            assert Client().get(link_url(name, mine, photo_of=theirs)).status_code == 404
        assert request(Client(), method, link_url(name, {**mine, "token": mine["token"][:-3] + "abc"},
                                                 photo_of=mine)).status_code == 404
    # and the link never opened the case, nor wrote on another case
    assert not Message.objects.filter(case=theirs["case"]).exists()


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("name", sorted(ACCOUNT_PAGES))
def test_the_account_pages_open_to_a_signed_in_customer_only(db, role, name):
    # given someone in the role, signed in (or nobody)
    client = Client()
    user = role_user(role)
    if user is not None:
        client.force_login(user)
    # when they open the account page
    response = client.get(reverse(name))
    # then a customer sees it, a visitor is sent to sign in, and staff are refused
    expected = {"customer": 200, "anonymous": 302}.get(role, 403)
    assert response.status_code == expected, (role, name, response.status_code)


def test_my_repairs_lists_the_customers_own_cases_and_no_one_elses(registry, centre):  # noqa: F811
    # given two customers who each booked a repair while signed in, and a case booked without an account
    wang, li = role_user("customer", username="wang"), role_user("customer", username="li")
    for user, serial in [(wang, "HD000001"), (li, "HD000002")]:
        client = Client()
        client.force_login(user)
        assert client.post("/repair/apply/", application(serial=serial)).status_code == 302
    Client().post("/repair/apply/", application(serial="HD000001"))
    own, theirs = Case.objects.get(customer=wang), Case.objects.get(customer=li)
    unowned = Case.objects.get(customer=None)
    # when Wang opens "my repairs" and "my devices"
    client = Client()
    client.force_login(wang)
    cases, devices = client.get(reverse("portal:my-cases")).content.decode(), \
        client.get(reverse("portal:my-devices")).content.decode()
    # then only Wang's case is listed (the same e-mail on the other cases does not make them his:
    # his address was never verified), and only its device
    assert own.display_number in cases
    assert theirs.display_number not in cases and unowned.display_number not in cases
    assert "HD000001" in devices and "HD000002" not in devices

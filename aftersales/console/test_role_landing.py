"""Everyone who signs in lands on work: the executive-care agent on the cases waiting for what
they may do, the auditor on the cases most recently closed — never an empty page or a refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from aftersales.console.conftest import book, moved, signed_in
from aftersales.core import clock
from aftersales.core.testing import NOW, role_user
from aftersales.repairs.diagnosis import damage_propose
from aftersales.repairs.returns import follow_up_open

DAY = dt.timedelta(days=1)


@pytest.fixture
def cases(centres):
    """At two centres: a case with damage proposed, one with an open follow-up, one with neither,
    and a closed case."""
    damaged = moved(book(at=NOW - 4 * DAY), "received", "diagnosing")
    damage_propose(number=damaged.number, code="liquid-damage", explanation="Corrosion",
                   actor=role_user("technician", username="tech", centres=[centres["sh"]]), now=clock.now())
    asked = book(centre="us-01", serial="NB000001", at=NOW - 3 * DAY)
    follow_up_open(case=asked, about="quotation", message="What is this charge?", now=clock.now())
    quiet = book(at=NOW - 2 * DAY)
    closed = moved(book(at=NOW - DAY), "cancelled")
    return {"damaged": damaged, "asked": asked, "quiet": quiet, "closed": closed}


def test_the_executive_care_agent_lands_on_the_cases_waiting_for_them(cases):
    # given an executive-care agent who signs in through the login form
    role_user("exec-care", username="care")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    landing = client.post("/console/login/", {"username": "care", "password": "not-used-pw"}, follow=True)
    page = landing.content.decode()
    # then they land on a page listing, from every centre, the cases with a damage proposal or an
    # open follow-up, oldest first, and not the others
    assert landing.status_code == 200 and "Cases waiting for you" in page
    assert page.index(cases["damaged"].number) < page.index(cases["asked"].number)
    assert "damage to decide" in page and "follow-up to answer" in page
    assert cases["quiet"].number not in page and cases["closed"].number not in page
    # and each case opens for them
    assert client.get(f"/console/cases/{cases['asked'].number}/").status_code == 200


def test_the_auditor_lands_on_the_recently_closed_cases(cases):
    auditor = signed_in("auditor", centre=None)
    page = auditor.get("/console/").content.decode()
    assert "Recently closed cases" in page and cases["closed"].number in page
    assert cases["quiet"].number not in page
    assert "/console/cases/search/?state=closed" in page


@pytest.mark.parametrize("role", ["staff", "technician", "verifier", "exec-care", "auditor", "admin"])
def test_every_staff_role_lands_on_something_to_do(centres, role):
    client = signed_in(role)
    response = client.get("/console/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "No console tools are open to your roles yet." not in page
    assert 'class="card"' in page


def test_staff_who_hold_neither_role_see_no_such_list(cases):
    page = signed_in("staff").get("/console/").content.decode()
    assert "Cases waiting for you" not in page and "Recently closed cases" not in page

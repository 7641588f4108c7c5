"""Everyone sees only what is theirs: staff, technicians and verifiers read the cases of the
service centres they belong to — the queue, the case pages, a device's cases, counter intake —
and nothing at all while they belong to none; auditors, administrators and executive care read
every centre."""

from __future__ import annotations

import html
import re

import pytest

from aftersales.console.conftest import book, signed_in
from aftersales.repairs.models import Case


def text(response) -> str:
    return html.unescape(response.content.decode())


def numbers_on(response) -> list[str]:
    return re.findall(r'class="mono row-link" href="/console/cases/(R[0-9A-Z]+)/"', response.content.decode())


@pytest.fixture
def both(centres):
    """A case at Shanghai and one at Fremont."""
    return {"sh": book(), "us": book(centre="us-01", serial="NB000001")}


@pytest.mark.parametrize("role", ["staff", "technician", "verifier"])
def test_someone_who_works_cases_but_belongs_to_no_centre_sees_no_case(both, role):
    # given a user of a case-working role whom nobody has added to a centre yet
    client = signed_in(role, centre=None)
    # when they open the queue, a case page, or search for a case
    queue = client.get("/console/cases/")
    # then they see nothing, and are told why
    assert queue.status_code == 200 and numbers_on(queue) == []
    assert "You do not belong to a service centre yet" in text(queue)
    assert client.get(f"/console/cases/{both['sh'].number}/").status_code == 404
    assert client.get(f"/console/cases/{both['us'].number}/report.pdf").status_code == 404
    assert "No case with that number" in text(client.get("/console/cases/", {"q": both["us"].number}))


@pytest.mark.parametrize("role", ["auditor", "admin", "exec-care"])
def test_those_who_work_across_centres_read_every_centre_without_belonging_to_one(both, role):
    client = signed_in(role, centre=None)
    assert sorted(numbers_on(client.get("/console/cases/"))) == sorted(c.number for c in both.values())
    for case in both.values():
        assert client.get(f"/console/cases/{case.number}/").status_code == 200


def test_a_member_of_two_centres_sees_both_and_may_narrow_to_one_of_them(registry, centres, both):
    # given a third centre with a case, and a technician of Shanghai and Fremont
    from aftersales.centres.models import ServiceCentre

    ServiceCentre.objects.create(code="bj-01", name_en="Beijing Haidian", name_zh="北京海淀", region="CN",
                                 city="Beijing", timezone="Asia/Shanghai")
    beijing = book(centre="bj-01")
    technician = signed_in("technician")
    technician.user.centres.add(centres["us"])
    # when they open the queue
    response = technician.get("/console/cases/")
    # then both their centres' cases are listed, and Beijing's is not
    assert sorted(numbers_on(response)) == sorted(c.number for c in both.values())
    page = text(response)
    assert "Open cases at your service centres (Shanghai Xuhui, Fremont Depot)" in page
    # and the centre filter offers their centres only
    assert '<option value="us-01">' in page and '<option value="bj-01">' not in page
    assert numbers_on(technician.get("/console/cases/", {"centre": "us-01"})) == [both["us"].number]
    assert beijing.number not in numbers_on(technician.get("/console/cases/", {"centre": "bj-01"}))
    assert technician.get(f"/console/cases/{beijing.number}/").status_code == 404


def test_a_devices_page_lists_its_cases_only_at_the_centres_the_reader_sees(registry, centres):
    # given one desktop repaired at Shanghai and, later, at Fremont
    shanghai, fremont = book(), book(centre="us-01")
    # then Shanghai's technician sees the Shanghai case only; the auditor sees both
    page = text(signed_in("technician").get("/console/devices/HD000001/"))
    assert shanghai.number in page and fremont.number not in page
    page = text(signed_in("auditor", username="reader").get("/console/devices/HD000001/"))
    assert shanghai.number in page and fremont.number in page
    # and someone of no centre is told there is nothing they can see
    page = text(signed_in("staff", username="new-hire", centre=None).get("/console/devices/HD000001/"))
    assert shanghai.number not in page and "No repair cases for this device" in page


def test_counter_intake_offers_and_accepts_only_the_centres_the_clerk_works_at(registry, centres):
    from aftersales.console.test_intake import FILLED

    clerk = signed_in("staff")  # Shanghai
    page = clerk.get("/console/cases/new/").content.decode()
    assert 'value="sh-01"' in page and 'value="us-01"' not in page
    response = clerk.post("/console/cases/new/", {**FILLED, "centre": "us-01", "serial": "NB000001"})
    assert response.status_code == 422 and not Case.objects.exists()
    # an administrator books at any centre
    admin_page = signed_in("admin").get("/console/cases/new/").content.decode()
    assert 'value="sh-01"' in admin_page and 'value="us-01"' in admin_page


def test_an_auditors_case_page_offers_no_form_that_writes(registry, centres):
    # given a case in diagnosis with an open follow-up (the page of every section has something)
    from aftersales.console.conftest import moved
    from aftersales.core import clock
    from aftersales.repairs.returns import follow_up_open

    case = moved(book(), "received", "diagnosing")
    follow_up_open(case=case, about="status", message="When will it be ready?", now=clock.now())
    # when an auditor opens it
    page = signed_in("auditor", centre=None).get(f"/console/cases/{case.number}/").content.decode()
    # then they read it all, and no form on it that posts to the case has a button to press
    assert "When will it be ready?" in page and "li.lei@example.com" in page
    forms = re.findall(rf'<form[^>]*action="/console/cases/{case.number}/[^"]*"[^>]*>(.*?)</form>', page, re.S)
    assert forms and not any("<button" in body for body in forms)
    assert "No move at this step is open to your roles." in page

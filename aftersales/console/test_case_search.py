"""Staff search: each key finds its case, only among the cases of the centres the person reads;
the closed cases are listed; the search and its filters live in the address."""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from aftersales.console.conftest import book, moved, signed_in
from aftersales.core.testing import NOW
from aftersales.repairs.search import case_search

DAY = dt.timedelta(days=1)


def numbers_on(response) -> list[str]:
    return re.findall(r'class="mono row-link" href="/console/cases/(R[0-9A-Z]+)/"', response.content.decode())


@pytest.fixture
def two_customers(centres):
    """Two customers' cases at Shanghai, told apart by every key."""
    wang = book(customer_name="Wang Fang", email="Wang.Fang@Example.com", phone="+86 139-1234-5678",
                serial="AI000001")
    li = book(customer_name="Li Lei", email="li.lei@example.com", phone="13800000000")
    return {"wang": wang, "li": li}


@pytest.mark.parametrize(("typed", "why"), [
    ("AI000001", "serial as printed"),
    ("ai000001", "serial in lower case"),
    ("wang fang", "whole name in another case"),
    ("ng Fa", "part of the name"),
    ("wang.fang@example.COM", "e-mail in another case"),
    ("86 139 1234 5678", "phone with other separators"),
    ("+8613912345678", "phone without separators"),
])
def test_each_key_finds_the_case_and_only_that_case(two_customers, typed, why):
    # given a member of staff of Shanghai, and two customers' cases there
    staff = signed_in("staff")
    # when they search for one customer's case by one of its keys
    response = staff.get("/console/cases/search/", {"q": typed})
    # then that case is listed, and the other customer's is not
    assert response.status_code == 200
    assert numbers_on(response) == [two_customers["wang"].number], why


def test_a_case_number_typed_loosely_opens_the_case(two_customers):
    staff = signed_in("staff")
    typed = two_customers["li"].display_number.lower().replace("-", " ")
    response = staff.get("/console/cases/search/", {"q": typed})
    assert response.status_code == 302 and response["Location"] == f"/console/cases/{two_customers['li'].number}/"


def test_a_case_number_with_filters_is_listed_rather_than_opened(two_customers):
    staff = signed_in("staff")
    response = staff.get("/console/cases/search/", {"q": two_customers["li"].number, "state": "open"})
    assert response.status_code == 200 and numbers_on(response) == [two_customers["li"].number]


@pytest.mark.parametrize("key", ["number", "name", "email", "phone", "serial"])
def test_a_case_of_another_centre_never_appears(centres, key):
    # given a case at Fremont, and a member of staff of Shanghai
    fremont = book(centre="us-01", serial="NB000001", customer_name="John Smith", email="john@example.com",
                   phone="4155550100")
    staff = signed_in("staff")
    typed = {"number": fremont.number, "name": "John", "email": "john@example.com", "phone": "415 555 0100",
             "serial": "NB000001"}[key]
    # when they search for it, with or without the closed cases
    for state in ("", "open", "closed"):
        response = staff.get("/console/cases/search/", {"q": typed, "state": state})
        # then it is neither listed nor opened
        assert response.status_code == 200 and numbers_on(response) == []
        assert "No case matches this search" in html.unescape(response.content.decode())
    # while an auditor, who reads every centre, finds it
    auditor = signed_in("auditor", centre=None)
    assert fremont.number in auditor.get("/console/cases/search/", {"q": typed, "state": "open"}).content.decode()


def test_someone_who_belongs_to_no_centre_finds_nothing_and_is_told_why(two_customers):
    technician = signed_in("technician", centre=None)
    response = technician.get("/console/cases/search/", {"q": "Wang"})
    assert numbers_on(response) == []
    assert "You do not belong to a service centre yet" in html.unescape(response.content.decode())


def test_the_closed_cases_are_listed_newest_first_and_the_open_ones_are_not(centres):
    # given two closed cases and an open one
    old = moved(book(at=NOW - 9 * DAY), "cancelled")
    recent = moved(book(at=NOW - 2 * DAY), "cancelled")
    open_case = book(at=NOW - DAY)
    staff = signed_in("staff")
    # when staff open the list of closed cases
    response = staff.get("/console/cases/search/", {"state": "closed"})
    # then the closed ones are listed, newest first, and the open one is not
    assert numbers_on(response) == [recent.number, old.number]
    assert open_case.number not in response.content.decode()
    assert "Closed cases" in html.unescape(response.content.decode())


def test_the_search_and_its_filters_stay_in_the_address(centres):
    # given closed cases of two product lines
    desktop = moved(book(serial="HD000001", customer_name="Zhou Jie"), "cancelled")
    moved(book(serial="AI000001", customer_name="Zhou Jie"), "cancelled")
    staff = signed_in("staff")
    # when staff search with filters, as a link another person could open
    response = staff.get("/console/cases/search/?q=zhou&state=closed&line=home-desktop&status=cancelled")
    page = html.unescape(response.content.decode())
    # then the link alone gives the filtered list, and the form shows the filters chosen
    assert numbers_on(response) == [desktop.number]
    assert 'value="zhou"' in page
    assert re.search(r'<option value="closed" selected>', page)
    assert re.search(r'<option value="home-desktop" selected>', page)
    assert re.search(r'value="cancelled"[^>]*checked', page)


def test_a_page_link_keeps_the_search_and_continues_where_the_page_ended(centres, monkeypatch):
    # given three cases of one customer, booked on different days
    cases = [book(at=NOW - n * DAY, customer_name="Sun Hao") for n in (1, 2, 3)]
    staff = signed_in("staff")
    # when the list is cut into pages of two
    monkeypatch.setattr("aftersales.console.cases.search.PAGE_SIZE", 2)
    first = staff.get("/console/cases/search/", {"q": "sun hao", "state": "open"})
    link = re.search(r'href="(\?[^"]*)" rel="next"', first.content.decode()).group(1)
    # then the next page's link keeps the search and the filter, and lists the oldest case
    query = parse_qs(urlsplit(html.unescape(link)).query)
    assert query["q"] == ["sun hao"] and query["state"] == ["open"] and "after" in query
    assert numbers_on(first) == [cases[0].number, cases[1].number]
    assert numbers_on(staff.get("/console/cases/search/" + html.unescape(link))) == [cases[2].number]


def test_the_selector_pages_without_repeating_or_skipping_a_case(centres):
    made = [book(at=NOW - n * DAY) for n in range(5)]
    seen, cursor = [], None
    while True:
        page = case_search(centres=None, text="Li Lei", cursor=cursor, limit=2)
        seen += [c.number for c in page.cases]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == [c.number for c in made]


def test_the_queue_offers_the_search_and_the_closed_cases(centres):
    staff = signed_in("staff")
    page = staff.get("/console/cases/").content.decode()
    assert 'action="/console/cases/search/"' in page and "/console/cases/search/?state=closed" in page


def test_a_filter_value_that_is_not_a_choice_is_dropped_and_the_search_still_applies(two_customers):
    staff = signed_in("staff")
    response = staff.get("/console/cases/search/", {"q": "wang", "status": "no-such-status"})
    assert numbers_on(response) == [two_customers["wang"].number]

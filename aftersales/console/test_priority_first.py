"""Accelerated repairs first, and marked, in every staff list of cases: the case queue (a band
above the first page, left out of the pages), the executive-care worklist on the dashboard, the
day board's visits and a visit's machines."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.console.cases import queue
from aftersales.console.conftest import book, moved, signed_in
from aftersales.core import clock
from aftersales.core.testing import NOW
from aftersales.disputes.selectors import accelerated as accelerated_condition
from aftersales.disputes.testing import accelerated
from aftersales.onsite.fixtures import TUESDAY, shanghai
from aftersales.onsite.test_visits import book as book_visit
from aftersales.repairs.diagnosis import damage_propose
from aftersales.repairs.numbers import display
from aftersales.repairs.selectors import case_queue
from aftersales.repairs.test_queue_keyset import _plan
from aftersales.repairs.testing import staff_member

DAY = dt.timedelta(days=1)
CASE_LINK = r'href="/console/cases/(R[0-9A-Z]+)/"'


def rows_on(response) -> list[tuple[str, bool]]:
    """Each table row's case number, top to bottom, and whether the row carries the priority mark."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", response.content.decode(), re.S)
    found = [(re.search(CASE_LINK, r), "data-priority" in r) for r in rows]
    return [(m.group(1), marked) for m, marked in found if m]


def signed_in_as(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def desk(centres):
    return signed_in("staff", username="sh-desk", centre=centres["sh"])


def test_an_accelerated_repair_booked_last_heads_the_queue_marked(desk):
    # given two cases booked days ago and one booked yesterday whose repair executive care accelerated
    oldest, older = book(at=NOW - 5 * DAY), book(at=NOW - 3 * DAY)
    urgent = book(at=NOW - DAY)
    accelerated(urgent)
    # when the desk opens the queue
    response = desk.get(reverse("console:cases"))
    # then the accelerated one is at the top, marked, and the others follow oldest first, unmarked
    assert rows_on(response) == [(urgent.number, True), (oldest.number, False), (older.number, False)]


def test_an_accelerated_repair_is_above_the_first_page_only_and_never_on_a_page(desk, monkeypatch):
    # given pages of two cases, three cases waiting and a fourth, newest, accelerated
    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    first, second, third = (book(at=NOW - n * DAY) for n in (6, 5, 4))
    urgent = book(at=NOW - DAY)
    accelerated(urgent)
    # when the desk reads the first page, the next one, and comes back
    page_one = desk.get(reverse("console:cases"))
    after = re.search(r'href="(\?[^"]*after=[^"]*)" rel="next"', page_one.content.decode()).group(1)
    page_two = desk.get(reverse("console:cases") + after.replace("&amp;", "&"))
    before = re.search(r'href="(\?[^"]*before=[^"]*)" rel="prev"', page_two.content.decode()).group(1)
    back = desk.get(reverse("console:cases") + before.replace("&amp;", "&"))
    # then the accelerated case sits above the first page's two cases, and appears nowhere else
    assert rows_on(page_one) == [(urgent.number, True), (first.number, False), (second.number, False)]
    assert rows_on(page_two) == [(third.number, False)]
    assert rows_on(back) == rows_on(page_one)


def test_the_filters_apply_to_the_accelerated_repairs_too(desk):
    # given an accelerated case in diagnosis and a booked one
    booked = book(at=NOW - 3 * DAY)
    urgent = moved(book(at=NOW - DAY), "received", "diagnosing")
    accelerated(urgent)
    # when the desk asks for booked cases only
    response = desk.get(reverse("console:cases"), {"status": ["booked"]})
    # then the accelerated case, not booked, is not shown
    assert rows_on(response) == [(booked.number, False)]


def test_the_queue_reads_priority_in_the_same_queries_however_many_cases_have_it(desk):
    # given one accelerated case among three, then three among five
    for n in range(3):
        book(at=NOW - (9 - n) * DAY)
    accelerated(book(at=NOW - DAY))
    with CaptureQueriesContext(connection) as one:
        desk.get(reverse("console:cases"))
    accelerated(book(at=NOW - DAY + dt.timedelta(hours=1)))
    accelerated(book(at=NOW - DAY + dt.timedelta(hours=2)))
    # when the queue is read again
    with CaptureQueriesContext(connection) as three:
        response = desk.get(reverse("console:cases"))
    # then it took as many queries as before: no query per case
    assert len(three) == len(one)
    assert [marked for _, marked in rows_on(response)] == [True, True, True, False, False, False]


def test_the_executive_care_worklist_puts_an_accelerated_repair_first_marked(centres):
    # given three cases in diagnosis with a damage proposal to decide, the newest accelerated
    technician = staff_member("bench")
    cases = [moved(book(at=NOW - n * DAY), "received", "diagnosing") for n in (5, 3, 1)]
    for case in cases:
        damage_propose(number=case.number, code="liquid-damage", part="mainboard", explanation="Corrosion.",
                       actor=technician, now=clock.now())
    accelerated(cases[2])
    # when an executive-care agent opens the dashboard
    agent = signed_in("exec-care", username="care-desk", centre=None)
    response = agent.get(reverse("console:dashboard"))
    # then the accelerated case is first and marked, the others oldest first
    assert rows_on(response) == [(cases[2].number, True), (cases[0].number, False), (cases[1].number, False)]


@pytest.fixture
def shared_visit(onsite_case, tech, desktop_pack, staff):
    """One Tuesday-morning visit for two machines; the second booked has its repair accelerated."""
    with clock.frozen(shanghai(TUESDAY, 7)):
        plain, urgent = onsite_case("HD910001"), onsite_case("HD910002")
        visit = book_visit([plain.number, urgent.number], tech, shanghai(TUESDAY, 9), desktop_pack, staff,
                           eligible=False)
        accelerated(urgent)
        yield visit, plain, urgent


def test_a_visit_lists_its_accelerated_repair_first_marked(shared_visit, staff):
    visit, plain, urgent = shared_visit
    client = signed_in_as(staff)
    # when the visit's page is opened
    response = client.get(reverse("console:visit", kwargs={"public_id": visit.public_id}))
    # then the accelerated machine comes first, marked
    assert rows_on(response) == [(urgent.number, True), (plain.number, False)]


def test_the_day_board_names_a_visits_accelerated_repair_first_marked(shared_visit, staff):
    visit, plain, urgent = shared_visit
    client = signed_in_as(staff)
    # when the day board of that Tuesday is opened
    page = client.get(f"{reverse('console:visits')}?centre=sh-01&day={TUESDAY.isoformat()}").content.decode()
    # then the visit's cell names the accelerated case first, with the mark beside it only
    cell = re.search(r'<span class="mono">(.*?)</span>\s*<span>', page, re.S).group(1)
    assert cell.index(display(urgent.number)) < cell.index(display(plain.number))
    assert cell.count("data-priority") == 1 and cell.index("data-priority") < cell.index(display(plain.number))



def test_the_mark_reads_in_chinese_for_a_chinese_reader(desk):
    accelerated(book(at=NOW - DAY))
    desk.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    page = desk.get(reverse("console:cases")).content.decode()
    assert ">优先</span>" in page and "高级客户关怀团队已将此维修加急" in page
    assert "高级客户关怀团队加急的维修排在最前，并标有“优先”。" in page


@pytest.mark.postgres_only
def test_a_queue_page_without_the_accelerated_repairs_still_reads_the_open_case_index_without_a_sort(centres):
    # given open cases at Shanghai, one of them accelerated
    for n in range(4):
        book(at=NOW - (9 - n) * DAY)
    accelerated(book(at=NOW - DAY))
    first = case_queue(centres=[centres["sh"].pk], now=NOW, limit=2, excluding=accelerated_condition())
    for cursor in (None, first.next_cursor):
        # when a page is read, leaving the accelerated ones out
        with CaptureQueriesContext(connection) as ctx:
            case_queue(centres=[centres["sh"].pk], now=NOW, limit=2, cursor=cursor, excluding=accelerated_condition())
        # then it is one query, walking the open-case index in queue order, the priority rows an anti-join
        plan = _plan(ctx.captured_queries[0]["sql"])
        assert len(ctx.captured_queries) == 1
        assert "case_open_queue" in plan and "Sort" not in plan, plan

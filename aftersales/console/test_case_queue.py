"""The case queue: a centre's open cases, oldest first, filtered, a keyset page at a time; the
search box jumps straight to a case."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from aftersales.console.cases import queue
from aftersales.console.conftest import book, moved, signed_in
from aftersales.core import clock
from aftersales.core.testing import NOW, device_made
from aftersales.repairs.numbers import display
from aftersales.repairs.returns import follow_up_open

DAY = dt.timedelta(days=1)


def text(response) -> str:
    return html.unescape(response.content.decode())


def numbers_on(response) -> list[str]:
    """The case numbers in the queue's rows, top to bottom."""
    return re.findall(r'class="mono row-link" href="/console/cases/(R[0-9A-Z]+)/"', response.content.decode())


@pytest.fixture
def staff_at_shanghai(centres):
    return signed_in("staff", username="sh-staff", centre=centres["sh"])


def test_the_queue_lists_the_open_cases_of_the_users_centre_oldest_first(centres, staff_at_shanghai):
    # given cases at Shanghai booked on different days, a closed one, and one at Fremont
    newer = book(at=NOW - 2 * DAY)
    older = book(at=NOW - 5 * DAY)
    moved(book(at=NOW - 9 * DAY), "cancelled")
    book(centre="us-01", serial="NB000001", at=NOW - 7 * DAY)
    # when a Shanghai staff member opens the queue
    response = staff_at_shanghai.get("/console/cases/")
    # then they see their centre's open cases, oldest first
    assert response.status_code == 200
    assert numbers_on(response) == [older.number, newer.number]
    page = text(response)
    assert display(older.number) in page and "Shanghai Xuhui" in page
    assert "5 days" in page and "Li Lei" in page and "S500SE" in page and "HD000001" in page


def test_the_status_filter_takes_several_statuses(centres, staff_at_shanghai):
    booked = book(at=NOW - 3 * DAY)
    received = moved(book(at=NOW - 2 * DAY), "received")
    diagnosing = moved(book(at=NOW - DAY), "received", "diagnosing")
    response = staff_at_shanghai.get("/console/cases/", {"status": ["booked", "diagnosing"]})
    assert numbers_on(response) == [booked.number, diagnosing.number]
    assert received.number not in response.content.decode()


def test_product_line_age_and_lateness_narrow_the_queue(centres):
    # given a week-old desktop case diagnosed for two days (late: diagnosis takes 3 days at most,
    # counted from when it started), a fresh one, and an all-in-one
    device_made("HD000002", "home-desktop", dt.date(2024, 3, 1), "CN")
    with clock.frozen(NOW - 7 * DAY):
        late = book()
        moved(late, "received", "diagnosing")
    fresh = book(serial="HD000002", at=NOW - DAY)
    aio = book(serial="AI000001", at=NOW - 8 * DAY)
    staff = signed_in("staff")
    # then each filter keeps only the cases it names
    assert queue_numbers(staff, line="home-desktop") == [late.number, fresh.number]
    assert queue_numbers(staff, older="6") == [aio.number, late.number]
    assert queue_numbers(staff, late="on") == [late.number]
    assert queue_numbers(staff, line="aio", older="6") == [aio.number]
    # and a late case says so in its row
    row = text(staff.get("/console/cases/", {"late": "on"}))
    assert re.search(r"Diagnosing\s*<span class=\"badge badge--late\">late</span>", row)


def queue_numbers(client, **params) -> list[str]:
    return numbers_on(client.get("/console/cases/", params))


def test_keyset_pages_walk_the_queue_forward_and_back_without_gaps_or_repeats(centres, monkeypatch):
    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    cases = [book(at=NOW - (10 - n) * DAY) for n in range(5)]
    expected = [c.number for c in cases]
    staff = signed_in("staff")
    pages, url = [], "/console/cases/?status=booked"
    while url:
        response = staff.get(url)
        pages.append(numbers_on(response))
        found = re.search(r'href="(\?[^"]*after=[^"]*)" rel="next"', response.content.decode())
        url = "/console/cases/" + html.unescape(found.group(1)) if found else None
    assert pages == [expected[0:2], expected[2:4], expected[4:5]]
    # and back from the last page, with the filter kept
    last = staff.get("/console/cases/", {"status": "booked", "after": cursor_after(expected[3], cases)})
    back = re.search(r'href="(\?[^"]*before=[^"]*)" rel="prev"', last.content.decode()).group(1)
    assert "status=booked" in back
    response = staff.get("/console/cases/" + html.unescape(back))
    assert numbers_on(response) == expected[2:4]
    assert 'rel="prev"' in response.content.decode() and 'rel="next"' in response.content.decode()
    first = staff.get("/console/cases/" + html.unescape(
        re.search(r'href="(\?[^"]*before=[^"]*)" rel="prev"', response.content.decode()).group(1)))
    assert numbers_on(first) == expected[0:2] and 'rel="prev"' not in first.content.decode()


def cursor_after(number: str, cases) -> str:
    case = next(c for c in cases if c.number == number)
    return f"{case.created_at.isoformat()}_{case.pk}"


def test_the_search_box_jumps_straight_to_a_case_typed_loosely(centres):
    case = book()
    staff = signed_in("staff")
    typed = display(case.number).lower().replace("-", " ")
    response = staff.get("/console/cases/", {"q": typed})
    assert response.status_code == 302 and response["Location"] == f"/console/cases/{case.number}/"


def test_a_closed_case_is_found_by_number_though_the_queue_hides_it(centres):
    case = moved(book(), "cancelled")
    staff = signed_in("staff")
    assert case.number not in staff.get("/console/cases/").content.decode()
    assert staff.get("/console/cases/", {"q": case.number})["Location"] == f"/console/cases/{case.number}/"


def test_a_case_at_another_centre_is_neither_found_nor_opened(centres, staff_at_shanghai):
    elsewhere = book(centre="us-01", serial="NB000001")
    response = staff_at_shanghai.get("/console/cases/", {"q": elsewhere.number})
    assert response.status_code == 200
    assert "No case with that number in your service centre." in text(response)
    assert staff_at_shanghai.get(f"/console/cases/{elsewhere.number}/").status_code == 404


def test_someone_working_across_centres_sees_every_centre_and_may_pick_one(centres):
    shanghai = book(at=NOW - 2 * DAY)
    fremont = book(centre="us-01", serial="NB000001", at=NOW - DAY)
    auditor = signed_in("auditor")
    response = auditor.get("/console/cases/")
    assert numbers_on(response) == [shanghai.number, fremont.number]
    assert "Fremont Depot" in text(response) and 'name="centre"' in response.content.decode()
    assert queue_numbers(auditor, centre="us-01") == [fremont.number]


def test_a_centre_filter_is_not_offered_to_staff_of_one_centre(centres, staff_at_shanghai):
    fremont = book(centre="us-01", serial="NB000001")
    response = staff_at_shanghai.get("/console/cases/", {"centre": "us-01"})
    assert 'name="centre"' not in response.content.decode()
    assert fremont.number not in response.content.decode()


def test_each_row_counts_the_open_follow_ups(centres):
    case = book()
    follow_up_open(case=case, about="status", message="What happens next?", now=NOW)
    follow_up_open(case=case, about="quotation", message="Why so much?", now=NOW)
    page = text(signed_in("staff").get("/console/cases/"))
    assert "2 open" in page


def test_the_queue_speaks_chinese_to_a_chinese_browser(centres):
    book()
    staff = signed_in("staff")
    response = staff.get("/console/cases/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = text(response)
    assert "维修单" in page and "已预约" in page

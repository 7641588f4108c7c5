"""A device's service history on its console page: every case, the warranty decisions, the parts
replaced with both serial numbers, and the warranty repairs that extend cover — in full at the
reader's centres, as a bare row elsewhere — read in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from aftersales.console.conftest import book, signed_in
from aftersales.console.device_history import device_history
from aftersales.core.testing import role_user
from aftersales.repairs.diagnosis import finding_record, part_decide
from aftersales.repairs.models import PartUsage
from aftersales.repairs.repair import part_fit
from aftersales.repairs.services import case_move
from aftersales.repairs.testing import staff_member
from aftersales.warranty.packs import packs_in_force


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def text(response) -> str:
    return html.unescape(response.content.decode())


def repaired_at_shanghai(day: int, *, new_serial: str = "", old_serial: str = ""):
    """HD000001 booked at Shanghai on 2025-03-<day>, its power supply found faulty, decided
    covered the next day and replaced the day after (10:00 in Shanghai each time)."""
    staff = staff_member()
    case = book(at=utc(2025, 3, day, 2))
    for status in ("received", "diagnosing"):
        case_move(number=case.number, to=status, actor=staff, now=utc(2025, 3, day, 2))
    for position in (1, 2):
        finding_record(number=case.number, position=position, text="No output from the power supply.",
                       outcome="confirmed", part="psu", actor=staff, now=utc(2025, 3, day + 1, 2))
    part_decide(number=case.number, part="psu", actor=staff, now=utc(2025, 3, day + 1, 2))
    case_move(number=case.number, to="repairing", actor=staff, now=utc(2025, 3, day + 1, 2))
    part_fit(number=case.number, part="psu", new_serial=new_serial, old_serial=old_serial, actor=staff,
             now=utc(2025, 3, day + 2, 2))
    return case


@pytest.fixture
def history(registry, centres):
    """HD000001: its power supply replaced under warranty at Shanghai on 2025-03-12, and its fan
    replaced under warranty at Fremont on the evening of 2025-04-22 there (already the 23rd in UTC)."""
    shanghai = repaired_at_shanghai(10, new_serial="PSU-NEW-0042", old_serial="PSU-OLD-0007")
    fremont = book(centre="us-01", at=utc(2025, 4, 20, 18))
    PartUsage.objects.create(case=fremont, part="fan", new_serial="FAN-US-1", old_serial="FAN-US-0", covered=True,
                             fitted_at=utc(2025, 4, 23, 3))
    return {"shanghai": shanghai, "fremont": fremont}


def test_staff_see_their_centres_case_with_its_decision_and_both_part_serials(history):
    # given the desktop's history; when Shanghai's staff open the device
    page = text(signed_in("staff").get("/console/devices/HD000001/"))
    shanghai = history["shanghai"]
    # then the Shanghai case is linked, with its dates, status and centre
    assert f'href="/console/cases/{shanghai.number}/"' in page and shanghai.display_number in page
    assert "Booked on" in page and "2025-03-10" in page and "Repairing" in page and "Shanghai Xuhui" in page
    # its warranty decision on the power supply, with the date it was made and the end of cover
    assert "decided on 2025-03-11" in page and "cover ends 2027-02-28" in page
    # and the power supply replaced, with the removed part's and the new part's serials
    assert "PSU-OLD-0007" in page and "PSU-NEW-0042" in page and "2025-03-12" in page


def test_a_case_at_another_centre_is_a_bare_row_without_number_or_details(history):
    page = text(signed_in("staff").get("/console/devices/HD000001/"))
    fremont = history["fremont"]
    # the booking date is Fremont's own (2025-04-20 11:00 there)
    assert "Booked on 2025-04-20 at Fremont Depot: Booked" in page
    assert fremont.number not in page and fremont.display_number not in page
    assert "FAN-US-1" not in page and "FAN-US-0" not in page


def test_warranty_repairs_from_every_centre_extend_cover_three_months_from_the_repair_day(history):
    page = text(signed_in("staff").get("/console/devices/HD000001/"))
    # the desktop terms keep a fault repaired under warranty covered 3 months from the repair
    assert ("Power supply replaced under warranty on 2025-03-12 at Shanghai Xuhui: the same fault stays "
            "covered at least through 2025-06-11") in page
    # Fremont's repair is dated where it was made: 2025-04-22, not the UTC 2025-04-23
    assert ("Fan replaced under warranty on 2025-04-22 at Fremont Depot: the same fault stays covered at "
            "least through 2025-07-21") in page


def test_an_auditor_reads_every_centres_case_in_full(history):
    page = text(signed_in("auditor", username="reader").get("/console/devices/HD000001/"))
    assert history["fremont"].display_number in page and history["shanghai"].display_number in page
    assert "FAN-US-0" in page and "FAN-US-1" in page and "Cases at other service centres" not in page


def test_the_history_is_shown_in_chinese(history):
    client = signed_in("staff")
    page = text(client.get("/console/devices/HD000001/", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "维修记录" in page and "上海徐汇" in page and "2025-06-11" in page and "电源" in page


def test_the_history_reads_a_fixed_number_of_queries_however_many_cases(registry, centres,
                                                                       django_assert_max_num_queries):
    # given four repaired cases at Shanghai and one at Fremont
    for day in (1, 5, 9, 13):
        repaired_at_shanghai(day)
    book(centre="us-01")
    reader = role_user("staff", username="counter", centres=[centres["sh"]])
    pack = packs_in_force().select("home-desktop", "CN", dt.date(2025, 6, 1))
    # when the history is read
    with django_assert_max_num_queries(5):
        history = device_history(user=reader, device_id=registry["desktop"].pk, pack=pack, language="en")
    # then it holds all of them
    assert len(history.cases) == 4 and len(history.elsewhere) == 1 and len(history.extensions) == 4
    assert [c.booked_on for c in history.cases] == [dt.date(2025, 3, d) for d in (13, 9, 5, 1)]

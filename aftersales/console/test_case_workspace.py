"""The case page as a workspace: the stepper (where the case is, what comes next), the moves the
viewer's role may make at the top, the tabs, and notices that show only while they apply."""

from __future__ import annotations

import html
import re

from aftersales.billing.models import Quotation, QuotationStatus
from aftersales.console.conftest import moved, signed_in
from aftersales.console.test_case_work import fan_price, quotation_post  # noqa: F401 (fixture)
from aftersales.console.cases.workspace import ahead_of, stepper, usual_way


def text(response) -> str:
    return html.unescape(response.content.decode())


def url(case, tail: str = "") -> str:
    return f"/console/cases/{case.number}/{tail}"


def buttons(page: str) -> list[str]:
    """The status buttons at the top of the page, in order."""
    return re.findall(r'name="move-to" value="([a-z-]+)"', page)


def panel(page: str, key: str) -> str:
    """The opening tag of the tab panel ``key``."""
    return re.search(rf'<div class="tab-panel" id="tab-{key}"[^>]*>', page).group(0)


def shown(case) -> tuple[list[str], str, list[str], list[str]]:
    """(done, current, ahead, the ahead steps a move leads to) as the stepper shows them."""
    steps = stepper(case, "en")["steps"]
    return ([s.status for s in steps if s.state == "done"],
            next(s.status for s in steps if s.state == "current"),
            [s.status for s in steps if s.state == "ahead"],
            [s.status for s in steps if s.next])


# --- the stepper ---------------------------------------------------------------------------------
def test_the_usual_way_runs_from_booking_to_the_device_back_with_its_owner():
    assert usual_way() == ["booked", "received", "diagnosing", "awaiting-customer", "repairing", "qa",
                           "ready", "shipped", "collected"]


def test_a_booked_case_is_at_its_first_step_with_arrival_next(booked):
    done, current, ahead, nexts = shown(booked)
    assert (done, current) == ([], "booked")
    assert ahead == ["received", "diagnosing", "awaiting-customer", "repairing", "qa", "ready", "shipped",
                     "collected"]
    assert nexts == ["received", "diagnosing"]  # the counter receives it; a visit diagnoses on site
    assert stepper(booked, "en")["next"] == ["Received", "Diagnosing", "Cancelled"]


def test_a_case_in_diagnosis_shows_the_steps_it_went_through_and_the_ways_on(diagnosing):
    done, current, ahead, nexts = shown(diagnosing)
    assert (done, current) == (["booked", "received"], "diagnosing")
    assert ahead == ["awaiting-customer", "repairing", "qa", "ready", "shipped", "collected"]
    assert nexts == ["awaiting-customer", "repairing", "ready", "collected"]


def test_a_case_repaired_without_a_quotation_shows_only_the_steps_it_took(diagnosing):
    from aftersales.repairs.diagnosis import finding_record
    from aftersales.repairs.testing import staff_member
    from aftersales.core import clock

    for symptom in diagnosing.symptoms.all():
        finding_record(number=diagnosing.number, position=symptom.position, text="Found it.",
                       outcome="confirmed", actor=staff_member(), now=clock.now())
    case = moved(diagnosing, "repairing")
    done, current, ahead, _nexts = shown(case)
    assert (done, current) == (["booked", "received", "diagnosing"], "repairing")
    assert ahead == ["qa", "ready", "shipped", "collected"]


def test_storage_rejoins_the_usual_way_at_the_return_and_a_cancelled_booking_has_nothing_ahead():
    assert ahead_of("in-storage") == ["shipped", "collected"]
    assert ahead_of("disposal-review") == ["shipped", "collected"]
    assert ahead_of("cancelled") == []
    assert ahead_of("collected") == []


def test_the_page_marks_the_current_step_for_screen_readers(diagnosing):
    page = text(signed_in("staff").get(url(diagnosing)))
    current = re.search(r'<li class="stepper__step stepper__step--current"[^>]*>(.*?)</li>', page, re.S)
    assert 'aria-current="step"' in current.group(0) and "Now:" in current.group(1)
    assert "Diagnosing" in current.group(1)
    assert "What can come next:" in page


# --- the moves at the top, by role ---------------------------------------------------------------
def test_the_moves_at_the_top_are_those_the_viewers_role_may_make(booked):
    assert buttons(text(signed_in("staff").get(url(booked)))) == ["received", "cancelled"]
    assert buttons(text(signed_in("admin").get(url(booked)))) == ["cancelled"]
    technician = signed_in("technician")
    assert buttons(text(technician.get(url(booked)))) == []
    received = moved(booked, "received")
    assert buttons(text(technician.get(url(received)))) == ["diagnosing"]
    assert buttons(text(signed_in("verifier").get(url(received)))) == []


def test_the_moves_come_before_the_sections(booked):
    page = text(signed_in("staff").get(url(booked)))
    assert page.index('name="move-to"') < page.index('id="sections"') < page.index('id="faults"')


# --- tabs ----------------------------------------------------------------------------------------
def test_the_tab_the_status_calls_for_is_open_and_the_others_are_hidden(diagnosing):
    page = text(signed_in("staff").get(url(diagnosing)))
    assert "hidden" not in panel(page, "diagnosis") and "hidden" in panel(page, "quotation")
    assert re.search(r'<a href="\?tab=diagnosis#sections" aria-current="page">', page)


def test_a_tab_asked_for_in_the_address_is_open(diagnosing):
    page = text(signed_in("staff").get(url(diagnosing), {"tab": "timeline"}))
    assert "hidden" not in panel(page, "timeline") and "hidden" in panel(page, "diagnosis")
    assert re.search(r'<a href="\?tab=timeline#sections" aria-current="page">', page)


def test_a_refused_form_opens_the_tab_that_holds_it(diagnosing):
    response = signed_in("staff").post(url(diagnosing, "return/ship/"), {"ship-carrier": "", "ship-tracking": ""})
    page = text(response)
    assert response.status_code in (403, 409, 422)
    assert "hidden" not in panel(page, "return") and "hidden" in panel(page, "diagnosis")


# --- notices only while they apply ---------------------------------------------------------------
def test_the_verifier_notice_goes_once_the_quotation_is_approved(diagnosing, fan_price):  # noqa: F811
    author = signed_in("staff")
    author.post(url(diagnosing, "quotations/"), quotation_post(**{
        "line-0-parts": "95.00", "quote-explanation": "The listed fan is sold out; the next model up fits."}))
    quotation = Quotation.objects.get(case=diagnosing)
    assert "Needs a verifier because:" in text(author.get(url(diagnosing), {"tab": "quotation"}))
    key = f"verify-{quotation.pk}"
    signed_in("verifier").post(url(diagnosing, f"quotations/{quotation.pk}/verify/"), {
        f"{key}-verdict": "approve", f"{key}-note": "Checked the supplier's price."})
    assert Quotation.objects.get(pk=quotation.pk).status == QuotationStatus.READY
    page = text(author.get(url(diagnosing), {"tab": "quotation"}))
    assert "Needs a verifier because:" not in page
    assert "Checked the supplier's price." in page and "Send to the customer" in page


def test_not_re_tested_is_said_only_while_the_repair_is_under_way(diagnosing):
    from aftersales.core import clock
    from aftersales.repairs.diagnosis import finding_record
    from aftersales.repairs.testing import staff_member

    for symptom in diagnosing.symptoms.all():
        finding_record(number=diagnosing.number, position=symptom.position, text="Found it.",
                       outcome="confirmed", actor=staff_member(), now=clock.now())
    staff = signed_in("staff")
    assert "Not re-tested at the quality check yet." not in text(staff.get(url(diagnosing)))
    repairing = moved(diagnosing, "repairing")
    assert "Not re-tested at the quality check yet." in text(staff.get(url(repairing), {"tab": "diagnosis"}))


def test_the_stepper_and_the_tabs_read_in_chinese_for_a_chinese_reader(diagnosing):
    page = text(signed_in("staff").get(url(diagnosing), HTTP_ACCEPT_LANGUAGE="zh-hans"))
    current = re.search(r'<li class="stepper__step stepper__step--current"[^>]*>(.*?)</li>', page, re.S).group(1)
    assert "当前：" in current and "检测中" in current
    assert "接下来可能是：" in page and "保修与损坏" in page and "返还与费用" in page

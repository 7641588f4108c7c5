"""The case console in a real browser: keyboard through the queue, a status move in place, and
the queue and case pages at phone width.

Set ``AFTERSALES_SCREENSHOTS`` to a folder to keep the screenshots for a look."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest

from aftersales.billing.models import PartPrice
from aftersales.console.conftest import book, moved
from aftersales.core import clock
from aftersales.core.testing import NOW, role_user
from aftersales.evidence.conftest import photo
from aftersales.repairs.diagnosis import damage_propose, finding_record, part_decide
from aftersales.repairs.evidence import case_evidence_add
from aftersales.repairs.models import Case
from aftersales.repairs.numbers import display
from aftersales.repairs.quotations import quotation_draft
from aftersales.repairs.returns import follow_up_open

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DAY = dt.timedelta(days=1)


def screenshot(page, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("AFTERSALES_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/console/login/?next=/console/cases/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("not-used-pw")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/console/cases/")


def test_staff_open_a_case_from_the_queue_with_the_keyboard_and_move_it_on(live_server, centres, page, tmp_path):
    # given three booked cases at the staff member's centre, oldest first
    role_user("staff", username="li", centres=[centres["sh"]])
    cases = [book(at=NOW - (3 - n) * DAY) for n in range(3)]
    sign_in(page, live_server.url, "li")
    screenshot(page, tmp_path, "queue-1280")
    # when they press j twice and k once, the second case has the focus; Enter opens it
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == display(cases[0].number)
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.textContent.trim()") == display(cases[1].number)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/console/cases/{cases[1].number}/")
    assert page.locator("h1").inner_text() == display(cases[1].number)
    # then the next status is one button away; pressing it moves the case in place
    button = page.get_by_role("button", name="Received")
    button.focus()
    page.keyboard.press("Enter")
    page.locator(".case-head .badge--status", has_text="Received").wait_for()
    assert "Case moved to “Received”." in page.locator("#messages").inner_text()
    assert page.get_by_role("button", name="Diagnosing").is_visible()
    assert Case.objects.get(pk=cases[1].pk).status == "received"
    screenshot(page, tmp_path, "case-1280")
    # and back in the queue, "/" puts the cursor in the search box
    page.goto(f"{live_server.url}/console/cases/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"


def worked_case() -> Case:
    """A case in diagnosis with findings, a decision, a damage proposal, photos, a quotation and
    a follow-up: every section has something to show."""
    now = clock.now()
    case = moved(book(), "received", "diagnosing")
    staff = role_user("staff", username="bench", centres=[case.centre])
    case_evidence_add(case=case, kind="customer", upload=photo(), name="my-photo-of-the-lid.jpg", actor=None, now=now)
    case_evidence_add(case=case, kind="inbound", upload=photo(orientation=1), name="arrival.jpg", actor=staff, now=now)
    finding_record(number=case.number, position=1, text="Loose power connector.", outcome="confirmed", part="psu",
                   actor=staff, now=now)
    finding_record(number=case.number, position=2, text="Worn fan bearing.", outcome="confirmed", part="fan",
                   actor=staff, now=now)
    part_decide(number=case.number, part="psu", actor=staff, now=now)
    part_decide(number=case.number, part="fan", actor=staff, now=now)
    damage_propose(number=case.number, code="physical-damage", explanation="A dent on the lid.", actor=staff,
                   now=now)
    for part, price in (("fan", "80.00"), ("psu", "320.00")):
        PartPrice.objects.create(part=part, product_line="home-desktop", region="CN", price=Decimal(price),
                                 currency="CNY", valid_from=dt.date(2024, 1, 1))
    quotation_draft(number=case.number, author=staff, now=now, lines=[
        {"service": "part-replacement", "part": "psu", "text_en": "Replace the power supply.", "text_zh": "更换电源。"},
        {"service": "part-replacement", "part": "fan", "text_en": "Replace the worn fan.", "text_zh": "更换风扇。"}])
    follow_up_open(case=case, about="quotation", message="Why does the fan cost extra?", now=now)
    return case


@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_on_a_phone_the_queue_and_a_worked_case_fit_the_screen(live_server, centres, page, tmp_path, media_root):
    case = worked_case()
    for n in range(3):
        book(at=NOW - n * DAY)
    role_user("staff", username="li", centres=[centres["sh"]])
    sign_in(page, live_server.url, "li")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, tmp_path, "queue-phone")
    for tab in ("diagnosis", "warranty", "quotation", "messages", "return", "timeline"):
        page.goto(f"{live_server.url}/console/cases/{case.number}/?tab={tab}")
        page.locator(f"#tab-{tab}").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), tab
    page.goto(f"{live_server.url}/console/cases/{case.number}/?tab=evidence")
    # the gallery's thumbnails load from the staff evidence view as they scroll into sight
    thumbnails = page.locator(".tile img")
    assert thumbnails.count() == 2
    for n in range(2):
        thumbnails.nth(n).scroll_into_view_if_needed()
    page.wait_for_function("[...document.querySelectorAll('.tile img')].every(i => i.complete && i.naturalWidth > 0)")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, tmp_path, "case-phone")

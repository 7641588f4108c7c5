"""One on-site visit end to end in a real browser, in English and in Chinese: the customer books a
time on their phone and sees when the technician arrives; the desk finds the visit on the day
board from the keyboard, checks in and out with a photo, and the case shows the result.

Set ``AFTERSALES_SCREENSHOTS`` to a folder to keep the screenshots for a look."""

from __future__ import annotations

import pytest
from PIL import Image

from aftersales.core import clock
from aftersales.core.testing import shipped_packs_loaded
from aftersales.evidence.conftest import photo
from aftersales.onsite.fixtures import NOW, TUESDAY, shanghai
from aftersales.onsite.models import Visit, VisitStatus
from aftersales.onsite.rules.slots import minute
from aftersales.portal.test_browser import PHONE, fits_the_screen, screenshot
from aftersales.repairs.models import Case
from aftersales.repairs.numbers import display
from aftersales.repairs.status import Status
from aftersales.repairs.testing import findings_for_all

pytestmark = pytest.mark.browser
DESK = {"width": 1280, "height": 800}
# What each language shows: the browser's language, the arrival window, the visit's end state.
WORDS = {
    "en": {"locale": "en-GB", "arrival": "Tue 1 Dec 2026, arriving between 09:00 and 10:00", "city": "Shanghai",
           "done": "Done", "confirmed": "Visit confirmed by Li Lei."},
    "zh-hans": {"locale": "zh-CN", "arrival": "2026年12月1日（周二）09:00–10:00 到达", "city": "上海",
                "done": "已完成", "confirmed": "客户 Li Lei 已确认本次上门服务。"},
}


def picture(tmp_path, name: str):
    path = tmp_path / name
    path.write_bytes(photo(picture=Image.effect_noise((64, 48), 64).convert("RGB")))
    return path


def customer_books(browser, url: str, case: Case, words: dict, tmp_path, language: str):
    """On a phone: open the case with its number and e-mail, book Tuesday 09:00."""
    context = browser.new_context(viewport=PHONE, locale=words["locale"])
    page = context.new_page()
    page.goto(f"{url}/track/")
    page.locator("#id_number").fill(case.number)
    page.locator("#id_contact").fill(case.email)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{url}/track/{case.number}/")
    page.locator(f"a[href='/track/{case.number}/visit/']").click()
    page.locator("#id_symptom").select_option("no-power")
    page.locator("#id_city").select_option("cn-shanghai")
    page.locator("#id_address").fill("1 Huashan Road, room 1202")
    page.locator(f"input[name=slot][value='{minute(shanghai(TUESDAY, 9))}']").check()
    assert fits_the_screen(page)
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url(f"{url}/track/{case.number}/")
    assert words["arrival"] in page.locator("#visit-head").locator("..").inner_text()
    assert fits_the_screen(page)
    screenshot(page, tmp_path, f"visit-{language}-customer-booked")
    context.close()


def desk_works_the_visit(browser, url: str, case: Case, words: dict, tmp_path, language: str, staff):
    context = browser.new_context(viewport=DESK, locale=words["locale"])
    page = context.new_page()
    page.goto(f"{url}/console/login/?next=/console/visits/%3Fcentre%3Dsh-01%26day%3D2026-12-01")
    page.locator("#id_username").fill(staff.username)
    page.locator("#id_password").fill("not-used-pw")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/console/visits/?centre=sh-01&day=2026-12-01")
    # the visit sits in the technician's row with its case, window and city; Tab reaches it
    link = page.locator(".board__visit")
    text = link.inner_text()
    assert display(case.number) in text and "09:00–10:00" in text and words["city"] in text
    assert fits_the_screen(page)  # the board scrolls inside its frame, not the page
    page.locator("#board-date").focus()
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('board__visit')"):
            break
    assert page.evaluate("document.activeElement.classList.contains('board__visit')")
    screenshot(page, tmp_path, f"visit-{language}-day-board")
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/visits/*/")
    # check in with a photo; the findings are recorded on the case; check out with the customer
    page.locator("input[name=check-in-photos]").set_input_files(picture(tmp_path, "arrival.jpg"))
    page.locator("form[action$='/check-in/'] button").click()
    page.locator("input[name=check-out-photos]").wait_for()
    findings_for_all(Case.objects.get(pk=case.pk), staff=staff, now=NOW)
    page.locator("#id_check-out-confirmed_by").fill("Li Lei")
    page.locator("input[name=check-out-photos]").set_input_files(picture(tmp_path, "leaving.jpg"))
    page.locator("form[action$='/check-out/'] button").click()
    page.locator(f".badge--status[data-status='{VisitStatus.DONE}']").wait_for()
    screenshot(page, tmp_path, f"visit-{language}-done")
    # the case shows the visit's result: its link, both photos and the customer's confirmation
    page.locator(f"a[href='/console/cases/{case.number}/']").click()
    page.wait_for_url(f"**/console/cases/{case.number}/")
    assert words["done"] in page.locator(".case-visits").inner_text()
    assert words["confirmed"] in page.locator("#timeline").inner_text()
    screenshot(page, tmp_path, f"visit-{language}-case")
    context.close()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_one_visit_from_the_customers_phone_to_the_desks_check_out(live_server, browser, onsite_case, tech, staff,
                                                                   tmp_path, media_root, language):
    # given an on-site case of a home desktop, and a technician free on Tuesday
    shipped_packs_loaded()
    case = onsite_case(f"HD95000{len(language)}")
    words = WORDS[language]
    with clock.frozen(NOW):
        # when the customer books Tuesday 09:00 on their phone, then the desk works the visit
        customer_books(browser, live_server.url, case, words, tmp_path, language)
        desk_works_the_visit(browser, live_server.url, case, words, tmp_path, language, staff)
    # then the visit is done, confirmed, and the case went back to the customer with two photos
    visit = Visit.objects.get()
    case.refresh_from_db()
    assert visit.status == VisitStatus.DONE and visit.confirmed_by == "Li Lei"
    assert case.status == Status.COLLECTED and case.evidence.count() == 2

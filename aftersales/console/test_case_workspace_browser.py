"""The case workspace in a real browser at phone and desktop size, in English and in Chinese: the
moves open to the viewer are on screen at the top and nothing covers them, a step's link opens its
tab with the section in sight below the sticky tab bar, and the tabs work from the keyboard; and a
date typed only in part is refused beside its field.

Screenshots are kept in ``AFTERSALES_SCREENSHOTS`` when set (else the test's own folder)."""

from __future__ import annotations

import pytest
from django.conf import settings

from aftersales.console.test_case_browser import screenshot, sign_in, worked_case
from aftersales.core.testing import role_user

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
RUNS = [(language, size) for language in ("en", "zh-hans") for size in (PHONE, DESKTOP)]
IDS = [f"{language}-{'phone' if size is PHONE else 'desktop'}" for language, size in RUNS]
WORDS = {  # what staff and customers read and press, in each language
    "en": {"moves": ["Send a quotation", "Repairing", "Ready to return"], "step": "Diagnosing",
           "serial": "Serial number", "wrong": "What is wrong?", "check": "Check warranty",
           "unreadable": "This date could not be read.", "timeline": "Timeline"},
    "zh-hans": {"moves": ["发送报价", "维修中", "待返还"], "step": "检测中",
                "serial": "序列号", "wrong": "遇到了什么问题？", "check": "查询保修", "unreadable": "无法识别这个日期。",
                "timeline": "时间线"},
}

# Whether the element's middle and its top edge are on screen, and the element itself (not a bar
# drawn over it) is what is there.
UNCOVERED = """el => {
  const r = el.getBoundingClientRect();
  const points = [[r.left + r.width / 2, r.top + r.height / 2], [r.left + r.width / 2, r.top + 2]];
  return points.every(([x, y]) => {
    if (y < 0 || y > window.innerHeight || x < 0 || x > window.innerWidth) return false;
    const hit = document.elementFromPoint(x, y);
    return hit === el || el.contains(hit);
  });
}"""


def read_in(page, base: str, language: str) -> None:
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])


@pytest.mark.parametrize(("language", "page"), RUNS, indirect=["page"], ids=IDS)
def test_the_moves_are_on_screen_and_nothing_covers_them_or_the_section_a_step_opens(
        live_server, centres, page, language, tmp_path, media_root):
    size, words = ("phone" if page.viewport_size == PHONE else "desktop"), WORDS[language]
    # given a case in diagnosis with something in every section, and a staff member at its centre
    case = worked_case()
    role_user("staff", username="li", centres=[centres["sh"]])
    sign_in(page, live_server.url, "li")
    read_in(page, live_server.url, language)
    # when they open it
    page.goto(f"{live_server.url}/console/cases/{case.number}/")
    # then the moves their role may make are at the top, on screen and uncovered
    actions = page.locator(".moves__buttons .button")
    labels = [actions.nth(n).inner_text().strip() for n in range(actions.count())]
    assert labels == words["moves"]
    for n in range(actions.count()):
        assert actions.nth(n).evaluate(UNCOVERED), labels[n]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, tmp_path, f"workspace-top-{language}-{size}")
    # and the stepper says where it is
    assert page.locator(".stepper [aria-current='step']").inner_text().endswith(words["step"])
    # when they follow the step that has its own form
    page.get_by_role("link", name=words["moves"][0]).click()
    page.wait_for_url("**?tab=quotation#quotation")
    # then the quotation tab is open and its heading is in sight, not under the sticky tab bar
    heading = page.locator("#quotation-h")
    heading.wait_for()
    assert heading.evaluate(UNCOVERED)
    assert page.locator("#tab-diagnosis").is_hidden()
    screenshot(page, tmp_path, f"workspace-quotation-{language}-{size}")
    # and scrolled further, whatever is at the top of the window is not hidden behind the bar
    page.mouse.wheel(0, 400)
    page.wait_for_timeout(100)
    sticky = page.evaluate("getComputedStyle(document.querySelector('.case-tabs')).position")
    assert sticky == ("sticky" if size == "desktop" else "static")


@pytest.mark.parametrize(("language", "page"), RUNS, indirect=["page"], ids=IDS)
def test_the_tabs_open_from_the_keyboard(live_server, centres, page, language, tmp_path, media_root):
    words = WORDS[language]
    case = worked_case()
    role_user("staff", username="li", centres=[centres["sh"]])
    sign_in(page, live_server.url, "li")
    read_in(page, live_server.url, language)
    page.goto(f"{live_server.url}/console/cases/{case.number}/")
    tab = page.locator(".case-tabs a", has_text=words["timeline"])
    tab.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**?tab=timeline#sections")
    assert page.locator("#timeline").is_visible() and page.locator("#faults").is_hidden()
    assert page.locator(".case-tabs a[aria-current='page']").inner_text().strip() == words["timeline"]


@pytest.mark.parametrize(("language", "page"), RUNS, indirect=["page"], ids=IDS)
def test_half_a_date_in_the_browser_is_refused_not_taken_for_no_invoice(live_server, registry, page, language,
                                                                        tmp_path):
    size, words = ("phone" if page.viewport_size == PHONE else "desktop"), WORDS[language]
    # given the warranty check with an invoice date only half typed (the month, no day or year)
    read_in(page, live_server.url, language)
    page.goto(f"{live_server.url}/warranty/")
    page.get_by_label(words["serial"]).fill("HD000001")
    page.get_by_label(words["wrong"]).select_option("no-power")
    date = page.locator("#id_purchased_on")
    date.click()
    page.keyboard.type("12")
    assert date.evaluate("el => el.validity.badInput && el.value === ''")
    # when it is sent
    page.get_by_role("button", name=words["check"]).click()
    # then the date is refused beside the field, and no answer is given without it
    error = page.locator("#id_purchased_on_error")
    error.wait_for()
    assert words["unreadable"] in error.inner_text() and page.locator("#decision-headline").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, tmp_path, f"unreadable-date-{language}-{size}")

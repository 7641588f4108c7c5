"""Signing in with a link from the e-mail and finding one's repairs, in a real browser on a phone
(390×844) and on a desktop (1280×800), in English and in Chinese. Set ``AFTERSALES_SCREENSHOTS``
to a folder to keep the screenshots."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from aftersales.core.testing import NOW
from aftersales.portal.test_browser import PHONE, fits_the_screen, screenshot
from aftersales.portal.test_case_pages import centre  # noqa: F401 (fixture)
from aftersales.repairs.services import Intake, case_book

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 800}

WORDS = {  # what the customer reads and presses, in each language
    "en": {"sign in": "Sign in", "email": "E-mail", "send": "E-mail me a sign-in link", "sent": "Check your e-mail",
           "press": "Sign me in", "mine": "My repairs"},
    "zh-hans": {"sign in": "登录", "email": "电子邮件", "send": "给我发送登录链接", "sent": "请查收电子邮件",
                "press": "登录", "mine": "我的维修"},
}


@pytest.mark.parametrize("page", [PHONE, DESKTOP], indirect=True, ids=["phone", "desktop"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_customer_signs_in_with_the_emailed_link_and_sees_their_repair(
        live_server, registry, centre, page, language, tmp_path):  # noqa: F811
    # given a repair booked without an account
    case = case_book(intake=Intake(centre="sh-01", kind="carry-in", customer_name="Wang Fang", serial="HD000001",
                                   email="wang@example.com", symptoms=["No picture"], ack_data_loss=True,
                                   ack_passwords=True, ack_peripherals=True), actor=None, now=NOW)
    words, name = WORDS[language], f"{language}-{page.viewport_size['width']}"
    page.goto(f"{live_server.url}/")
    if language != "en":
        page.get_by_role("button", name="简体中文").click()
        page.wait_for_url(f"{live_server.url}/")
    # when the customer asks for a sign-in link from the home page
    page.get_by_role("link", name=words["sign in"], exact=True).click()
    page.get_by_label(words["email"], exact=True).fill("wang@example.com")
    assert fits_the_screen(page)
    screenshot(page, tmp_path, f"sign-in-{name}")
    page.get_by_role("button", name=words["send"]).click()
    page.get_by_role("heading", name=words["sent"]).wait_for()
    # and opens the link from the e-mail, and presses the button
    link = re.search(r"/account/link/[A-Za-z0-9_-]+/", mail.outbox[-1].body).group(0)
    page.goto(f"{live_server.url}{link}")
    page.locator("main").get_by_role("button", name=words["press"]).click()
    # then their repair is listed under "my repairs", and opens
    page.get_by_role("heading", name=words["mine"]).wait_for()
    assert case.display_number in page.locator("main").inner_text()
    assert fits_the_screen(page)
    screenshot(page, tmp_path, f"my-repairs-{name}")
    page.get_by_role("link", name=case.display_number).click()
    page.wait_for_url(f"{live_server.url}/track/{case.number}/")

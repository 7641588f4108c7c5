"""The customer's case page in a real browser, each journey in English and in Chinese, on a phone
(390×844) and on a desktop (1280×800): "I don't understand" beside a line of the timeline, then a
message with a photo and the centre's answer; and, once the device is ready, where and when to
collect it and the storage dates that apply.

Each journey is one test run four times (language × size), a handful of page loads each.
Screenshots are kept in ``AFTERSALES_SCREENSHOTS`` when set, else in the test's own folder."""

from __future__ import annotations

import re

import pytest

from aftersales.conversation.services import message_post
from aftersales.core.testing import NOW
from aftersales.evidence.conftest import photo
from aftersales.portal.test_browser import fits_the_screen, screenshot
from aftersales.portal.test_case_conversation import booked  # noqa: F401 (fixture)
from aftersales.portal.test_case_pages import centre  # noqa: F401 (fixture)
from aftersales.portal.test_journeys_browser import RUNS, journey, submit  # noqa: F401 (fixture)
from aftersales.repairs.status import Status
from aftersales.repairs.testing import drive, staff_member

pytestmark = pytest.mark.browser
IDS = [f"{language}-{size}" for language, size in RUNS]
WORDS = {  # what the customer reads and presses, in each language
    "en": {"unclear": "I don't understand", "quoted": "You did not understand this:", "message": "Your message",
           "files": "Photos or documents", "send": "Send",
           # a carry-in desktop ready on 1 June 2025: the pack keeps it 60 days free, then 5.00 a
           # day, and reviews it 30 days after the fees begin
           "collect": ["Your device is ready to collect", "88 Caoxi Road, Xuhui", "021-5555-0100", "1 June 2025",
                       "We keep your device free of charge until 30 July 2025.",
                       "From 31 July 2025, storage costs CNY 5.00 a day", "If it is still with us on 30 August 2025"]},
    "zh-hans": {"unclear": "我看不懂", "quoted": "您表示看不懂以下内容：", "message": "您的留言", "files": "照片或文件",
                "send": "发送",
                "collect": ["您的产品已可取回", "88 Caoxi Road, Xuhui", "021-5555-0100", "2025年6月1日",
                            "我们免费保管您的产品至 2025年7月30日。", "自 2025年7月31日 起，保管费为每天 5.00 元",
                            "如到 2025年8月30日 产品仍未取回"]},
}


def open_case(page, base: str, case) -> None:
    """The case opened as a customer does: its number and the contact given when booking."""
    page.goto(f"{base}/track/")
    page.locator("#id_number").fill(case.number)
    page.locator("#id_contact").fill(case.email)
    submit(page)
    page.wait_for_url(re.compile(rf"/track/{case.number}/$"))


@pytest.mark.parametrize("journey", RUNS, indirect=True, ids=IDS)
def test_a_customer_does_not_understand_a_line_writes_with_a_photo_and_reads_the_centres_answer(
        journey, booked, tmp_path):  # noqa: F811
    page, base, language, size = journey
    words, name = WORDS[language], f"{language}-{size}"
    # given a repair whose device the centre has received, opened by its customer
    staff = staff_member(centre=booked.centre)
    drive(booked, Status.RECEIVED, staff=staff, now=NOW)
    open_case(page, base, booked)
    # when they press "I don't understand" beside the line that says the device was received
    with page.expect_navigation():
        page.get_by_role("button", name=words["unclear"]).last.click()
    assert words["quoted"] in page.locator("#conversation").inner_text()
    # and write with a photo
    page.get_by_label(words["message"]).fill("The fan rattles only when it is cold.")
    page.get_by_label(words["files"]).set_input_files(
        [{"name": "fan.jpg", "mimeType": "image/jpeg", "buffer": photo()}])
    with page.expect_navigation():
        page.locator("#conversation").get_by_role("button", name=words["send"], exact=True).click()
    # then the message and the photo are on the case, and the centre's answer below them
    message_post(case=booked, author_kind="staff", actor=staff, body="Thank you, we will test it cold.",
                 now=NOW, language=language)
    page.reload()
    shown = page.locator("main").inner_text()
    assert "The fan rattles only when it is cold." in shown and "fan.jpg" in shown
    assert "Thank you, we will test it cold." in page.locator("#conversation").inner_text() and fits_the_screen(page)
    page.locator("#conversation").scroll_into_view_if_needed()
    screenshot(page, tmp_path, f"case-conversation-photo-{name}")


@pytest.mark.parametrize("journey", RUNS, indirect=True, ids=IDS)
def test_a_customer_sees_where_and_when_to_collect_a_ready_device_and_the_storage_dates(
        journey, booked, tmp_path):  # noqa: F811
    page, base, language, size = journey
    words, name = WORDS[language], f"{language}-{size}"
    # given a carry-in desktop found with nothing to repair and ready on 1 June 2025
    drive(booked, Status.READY, now=NOW)
    # when its customer opens the case
    open_case(page, base, booked)
    # then it says where and from when to collect it, what to bring, and the storage dates
    collect = page.locator("#collect")
    shown = collect.inner_text()
    for expected in words["collect"]:
        assert expected in shown, expected
    assert booked.display_number in shown and collect.is_visible() and fits_the_screen(page)
    collect.scroll_into_view_if_needed()
    screenshot(page, tmp_path, f"ready-to-collect-{name}")

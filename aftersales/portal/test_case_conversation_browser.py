"""The conversation on a phone, in a real browser: the customer presses "I don't understand"
beside a line of their case, then writes with a photo, and reads the centre's answer.

Set ``AFTERSALES_SCREENSHOTS`` to a folder to keep the screenshots for a look."""

from __future__ import annotations

import pytest

from aftersales.conversation.services import message_post
from aftersales.core.testing import role_user
from aftersales.evidence.conftest import photo
from aftersales.portal.test_browser import PHONE, fits_the_screen, screenshot
from aftersales.portal.test_case_browser import apply_in_the_browser, centre  # noqa: F401 (fixture)
from aftersales.repairs.services import case_move
from aftersales.repairs.status import Status

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_a_customer_asks_about_a_line_writes_with_a_photo_and_reads_the_answer_on_a_phone(
        live_server, registry, centre, page, frozen_now, tmp_path):  # noqa: F811
    case = apply_in_the_browser(page, live_server.url, "HD000001")
    staff = role_user("staff", centres=[centre])
    case_move(number=case.number, to=Status.RECEIVED, actor=staff, now=frozen_now)
    page.reload()
    # "I don't understand" beside the line that says the device was received
    with page.expect_navigation():
        page.get_by_role("button", name="I don't understand").last.click()
    assert "You did not understand this:" in page.content()
    # a reply with a photo
    page.get_by_label("Your message").fill("The fan rattles only when it is cold.")
    page.get_by_label("Photos or documents").set_input_files(
        [{"name": "fan.jpg", "mimeType": "image/jpeg", "buffer": photo()}])
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    assert "The fan rattles only when it is cold." in page.content() and "fan.jpg" in page.content()
    # the centre answers
    message_post(case=case, author_kind="staff", actor=staff, body="Thank you, we will test it cold.",
                 now=frozen_now, language="en")
    page.reload()
    assert "Thank you, we will test it cold." in page.content() and fits_the_screen(page)
    screenshot(page, tmp_path, "case-conversation-phone")

"""The customer's journeys in a real browser, each in English and in Chinese, on a phone (390×844)
and on a desktop (1280×800): from the home page through the warranty answer to a mail-in booking
that asks for its return address and keeps what was typed when something is missing; signing in
with a password, "my repairs" and "my devices", and a repair booked with only a phone number
joining the account once the number is confirmed; "I don't understand" on a quotation line,
read back in the case's conversation with the centre's answer.

Each journey is one test run four times (language × size), a handful of page loads each.
Screenshots are kept in ``AFTERSALES_SCREENSHOTS`` when set, else in the test's own folder."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from aftersales.conversation.services import message_post
from aftersales.core import clock
from aftersales.core.testing import role_user
from aftersales.customers.links import email_verify
from aftersales.customers.test_phones import Phone
from aftersales.portal.test_browser import fits_the_screen, screenshot
from aftersales.portal.test_case_pages import booked_case, centre, quoted  # noqa: F401 (fixtures)
from aftersales.repairs.services import Intake, case_book
from aftersales.test_accessibility import grave_violations

pytestmark = pytest.mark.browser
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
RUNS = [(language, size) for language in ("en", "zh-hans") for size in SIZES]
WORDS = {  # what the customer reads, in each language
    "en": {"covered": "Covered by warranty", "mine": "My repairs", "devices": "My devices",
           "confirmed": "is confirmed. 1 earlier repair was added to your account.",
           "unclear": "You did not understand this:", "address": "give the address we send the device back to"},
    "zh-hans": {"covered": "在保修范围内", "mine": "我的维修", "devices": "我的设备",
                "confirmed": "已确认，已有 1 个之前的维修单加入您的账户。",
                "unclear": "您表示看不懂以下内容：", "address": "维修后寄回设备的地址"},
}


@pytest.fixture
def journey(browser, live_server, request):
    """A page at the run's size, reading the site in the run's language (the language cookie)."""
    language, size = request.param
    context = browser.new_context(viewport=SIZES[size])
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    try:
        yield context.new_page(), live_server.url, language, size
    finally:
        context.close()


def submit(page) -> None:
    page.locator("main form button[type=submit]").last.click()


@pytest.mark.parametrize("journey", RUNS, indirect=True, ids=[f"{lang}-{size}" for lang, size in RUNS])
def test_from_the_home_page_a_customer_checks_the_warranty_and_books_a_mail_in_repair_for_that_device(
        journey, registry, centre, tmp_path):  # noqa: F811
    page, base, language, size = journey
    words, name = WORDS[language], f"{language}-{size}"
    # given the home page: the three things customers come for
    page.goto(f"{base}/")
    hrefs = page.locator("nav.tasks a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["/warranty/", "/repair/apply/", "/track/"] and fits_the_screen(page)
    screenshot(page, tmp_path, f"home-{name}")
    # when the customer checks the warranty of their desktop
    page.locator("nav.tasks a").first.click()
    page.locator("#id_serial").fill("HD000001")
    page.locator("#id_symptom").select_option("no-power")
    page.locator("main form button[type=submit]").first.click()
    page.locator("#decision-headline").wait_for()
    assert page.locator("#decision-headline").inner_text().strip() == words["covered"]
    screenshot(page, tmp_path, f"warranty-answer-{name}")
    # then the answer offers to book a repair for that device, with its serial filled in
    page.locator('a[href="/repair/apply/?serial=HD000001"]').click()
    page.wait_for_url(re.compile(r"/repair/apply/"))
    assert page.locator("#id_serial").input_value() == "HD000001"
    # and a mail-in booking without the return address is refused with every error at once, and
    # what was typed is kept
    page.locator("#id_kind").select_option("mail-in")
    page.locator("#id_customer_name").fill("Wang Fang")
    page.locator("#id_email").fill("wang@example.com")
    page.locator("#id_symptoms").fill("No picture on the screen")
    page.locator("#id_ack_data_loss").check()
    submit(page)
    page.locator(".form-errors").wait_for()
    assert words["address"] in page.locator("#id_return_address_error").inner_text()
    assert page.locator(".form-errors li").count() >= 2  # the address and the missing acknowledgements
    assert page.locator("#id_customer_name").input_value() == "Wang Fang"
    assert page.locator("#id_symptoms").input_value() == "No picture on the screen"
    assert page.locator("#id_kind").input_value() == "mail-in" and fits_the_screen(page)
    screenshot(page, tmp_path, f"apply-errors-{name}")
    # when the address and acknowledgements are given, the repair is booked and its page opens
    page.locator("#id_return_address").fill("Wang Fang\n88 Huashan Road\nShanghai 200031")
    for box in ("#id_ack_data_loss", "#id_ack_passwords", "#id_ack_peripherals"):
        page.locator(box).check()
    submit(page)
    page.wait_for_url(re.compile(r"/track/[A-Z0-9-]+/$"))
    assert "HD000001" in page.locator("main").inner_text() and fits_the_screen(page)
    screenshot(page, tmp_path, f"booked-{name}")


@pytest.mark.parametrize("journey", RUNS, indirect=True, ids=[f"{lang}-{size}" for lang, size in RUNS])
def test_a_customer_signs_in_with_a_password_and_a_repair_booked_by_phone_joins_once_the_number_is_confirmed(
        journey, registry, centre, settings, tmp_path):  # noqa: F811
    page, base, language, size = journey
    words, name = WORDS[language], f"{language}-{size}"
    settings.SMS_BACKEND = "aftersales.customers.test_phones.Phone"
    Phone.received.clear()
    # given a customer account with a password and a verified address, a repair booked with that
    # address, and one booked at the counter with only their phone number
    wang = role_user("customer", username="wang")
    wang.email = "wang@example.com"
    wang.save()
    email_verify(user=wang, email="wang@example.com", now=clock.now())
    by_mail, by_phone = (case_book(intake=Intake(
        centre="sh-01", kind="carry-in", customer_name="Wang Fang", serial=serial, symptoms=["No picture"],
        ack_data_loss=True, ack_passwords=True, ack_peripherals=True, **contact), actor=None, now=clock.now())
        for serial, contact in (("HD000001", {"email": "wang@example.com"}), ("HD000002", {"phone": "139 1234 5678"})))
    # when they sign in with the password
    page.goto(f"{base}/account/sign-in/")
    page.locator("#id_login").fill("wang@example.com")
    page.locator("#id_password").fill("not-used-pw")
    page.locator("#id_password").press("Enter")
    page.get_by_role("heading", name=words["mine"]).wait_for()
    # then the repair booked with the address is theirs, and its device is listed
    mine = page.locator("main").inner_text()
    assert by_mail.display_number in mine and by_phone.display_number not in mine
    page.locator("main nav").get_by_role("link", name=words["devices"]).click()
    page.get_by_role("heading", name=words["devices"]).wait_for()
    assert "HD000001" in page.locator("main").inner_text() and fits_the_screen(page)
    screenshot(page, tmp_path, f"my-devices-{name}")
    # and when they confirm their phone number with the code texted to it
    page.goto(f"{base}/account/phone/")
    page.locator("#id_phone-phone").fill("139 1234 5678")
    submit(page)
    page.locator("#id_code-code").wait_for()
    assert grave_violations(page, f"phone-code-{name}", tmp_path) == []  # also keeps its screenshot
    code = re.search(r"\b\d{6}\b", Phone.received[-1][1]).group(0)
    page.locator("#id_code-code").fill(code)
    page.locator("#id_code-code").press("Enter")
    # then the repair booked by phone joins their repairs
    page.get_by_role("heading", name=words["mine"]).wait_for()
    assert words["confirmed"] in page.locator("main").inner_text()
    assert by_phone.display_number in page.locator("main").inner_text() and fits_the_screen(page)
    screenshot(page, tmp_path, f"my-repairs-after-phone-{name}")


@pytest.mark.parametrize("journey", RUNS, indirect=True, ids=[f"{lang}-{size}" for lang, size in RUNS])
def test_a_customer_asks_about_a_quotation_line_and_reads_the_answer_in_the_cases_conversation(
        journey, quoted, tmp_path):  # noqa: F811
    page, base, language, size = journey
    words, name = WORDS[language], f"{language}-{size}"
    case, token = quoted
    # given the quotation opened from the link in the e-mail
    page.goto(f"{base}/q/{token}/")
    assert fits_the_screen(page)
    screenshot(page, tmp_path, f"quotation-{name}")
    # when the customer writes what is unclear and presses "I don't understand" beside the line
    page.locator("#unclear-message").fill("What is a bad sector?")
    page.locator('button[form="unclear"][value="1"]').click()
    page.locator("ul.messages").wait_for()
    # then, with the case opened, the question is in its conversation quoting the line, and the
    # centre's answer below it
    desk = role_user("staff", username="desk", centres=[case.centre])
    message_post(case=case, author_kind="staff", actor=desk, body="A bad sector is a worn spot on the disk.",
                 now=clock.now(), language=language)
    page.goto(f"{base}/track/")
    page.locator("#id_number").fill(case.number)
    page.locator("#id_contact").fill("wang@example.com")
    submit(page)
    page.wait_for_url(re.compile(rf"/track/{case.number}/$"))
    thread = page.locator("#conversation")
    assert words["unclear"] in thread.inner_text() and "What is a bad sector?" in thread.inner_text()
    assert "A bad sector is a worn spot on the disk." in thread.inner_text() and fits_the_screen(page)
    thread.scroll_into_view_if_needed()
    screenshot(page, tmp_path, f"conversation-{name}")

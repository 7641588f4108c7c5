"""Staff journeys in a real browser, each in English and in Chinese, on a phone (390×844) and on a
desktop (1280×800): finding a case by the customer's phone, listing the closed cases with the
filters in the address, and reading the device's service history; importing the serial registry
and watching the status line reach its end, a file with wrong rows listing each in words; the
executive-care agent and the auditor each landing on the cases they may act on; the counter
confirming its checks before a hand-over, with the job sheet and the device label to print.

Each journey is one test run four times (language × size), a handful of page loads each.
Screenshots are kept in ``AFTERSALES_SCREENSHOTS`` when set, else in the test's own folder."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from aftersales.console.conftest import book, moved
from aftersales.console.test_device_history import repaired_at_shanghai
from aftersales.console.test_role_landing import cases  # noqa: F401 (fixture)
from aftersales.core import clock
from aftersales.core.testing import role_user
from aftersales.notifications.testing import run_due_tasks
from aftersales.portal.test_browser import fits_the_screen, screenshot
from aftersales.repairs.models import Case
from aftersales.repairs.status import Status
from aftersales.repairs.testing import drive
from aftersales.test_accessibility import grave_violations

pytestmark = pytest.mark.browser
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
RUNS = [(language, size) for language in ("en", "zh-hans") for size in SIZES]
IDS = [f"{language}-{size}" for language, size in RUNS]
WORDS = {
    "en": {"imported": "good.csv: imported 2 rows, 1 new devices and 1 updated.",
           "refused": "bad.csv: nothing was imported; 2 rows need correcting.", "product line": "Unknown product line",
           "waiting": "Cases waiting for you", "closed": "Recently closed cases",
           "handed over": "Handed over at the counter."},
    "zh-hans": {"imported": "good.csv：已导入 2 行，新增设备 1 台，更新 1 台。",
                "refused": "bad.csv：未导入任何数据，有 2 行需要更正。", "product line": "未知产品线",
                "waiting": "等待您处理的维修单", "closed": "最近结案的维修单", "handed over": "已在柜台交还。"},
}
CSV_HEADER = "serial,model,product_line,manufactured_on,shipped_on,sold_in\n"


@pytest.fixture
def journey(browser, live_server, request):
    """A page at the run's size, reading the console in the run's language (the language cookie)."""
    language, size = request.param
    context = browser.new_context(viewport=SIZES[size])
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    try:
        yield context.new_page(), live_server.url, language, size
    finally:
        context.close()


def sign_in(page, base: str, username: str, then: str = "/console/") -> None:
    page.goto(f"{base}/console/login/?next={then}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("not-used-pw")
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{base}{then}")


@pytest.mark.parametrize("journey", RUNS, indirect=True, ids=IDS)
def test_staff_find_a_case_by_phone_list_the_closed_cases_and_read_the_devices_history(journey, centres, tmp_path):
    page, base, language, size = journey
    name = f"{language}-{size}"
    # given a desktop whose power supply was replaced at Shanghai, and a closed case of another customer
    repaired = repaired_at_shanghai(10, new_serial="PSU-NEW-0042", old_serial="PSU-OLD-0007")
    closed = moved(book(serial="AI000001", customer_name="Zhou Jie", phone="13911112222"), "cancelled")
    role_user("staff", username="desk", centres=[centres["sh"]])
    sign_in(page, base, "desk", "/console/cases/search/")
    # when they search by the customer's phone, typed with spaces
    page.locator("#q").fill("138 0000 0000")
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"q=138"))
    # then the case is found, and the other is not
    found = page.locator("main").inner_text()
    assert repaired.display_number in found and closed.display_number not in found and fits_the_screen(page)
    screenshot(page, tmp_path, f"search-phone-{name}")
    # and the closed cases are listed with the filter in the address, and only they
    page.locator("#q").fill("")
    page.locator("#id_state").select_option("closed")
    page.locator("main form[role=search] button[type=submit]").click()
    page.wait_for_url(re.compile(r"state=closed"))
    listed = page.locator("main").inner_text()
    assert closed.display_number in listed and repaired.display_number not in listed
    screenshot(page, tmp_path, f"search-closed-{name}")
    # and the device page shows the repair with the removed and the new part's serial numbers
    page.goto(f"{base}/console/devices/HD000001/")
    history = page.locator("main").inner_text()
    assert repaired.display_number in history and "PSU-OLD-0007" in history and "PSU-NEW-0042" in history
    assert fits_the_screen(page)
    screenshot(page, tmp_path, f"device-history-{name}")


@pytest.mark.parametrize("journey", RUNS, indirect=True, ids=IDS)
def test_an_administrator_imports_the_registry_and_the_status_line_follows_it_to_the_end(journey, centres, tmp_path):
    page, base, language, size = journey
    words, name = WORDS[language], f"{language}-{size}"
    role_user("admin", username="boss")
    sign_in(page, base, "boss", "/console/admin/")
    # given the import page, reached from the administration overview
    page.locator('main a[href="/console/admin/devices/import/"]').click()
    page.wait_for_url(f"{base}/console/admin/devices/import/")
    # when the administrator uploads a file of one new and one known device
    good = CSV_HEADER + ("HD100001,S500SE,home-desktop,2024-01-05,2024-01-20,CN\n"
                         "HD000001,S500SE,home-desktop,2024-03-01,2024-03-20,CN\n")
    upload(page, "good.csv", good)
    status = page.locator("[data-import-status]")
    assert "good.csv" in status.inner_text()  # waiting for the worker
    # and the worker runs it
    run_due_tasks()
    # then the status line, polled, says it is done with the counts
    page.get_by_text(words["imported"]).wait_for()
    assert fits_the_screen(page) and grave_violations(page, f"import-done-{name}", tmp_path) == []
    # and a file with wrong rows ends with each wrong row listed in words
    upload(page, "bad.csv", CSV_HEADER + "HD100002,S500SE,toaster,2024-01-05,,CN\nHD100003,S500SE,home-desktop,"
                                         "2024-01-05,,XX\n")
    run_due_tasks()
    page.get_by_text(words["refused"]).wait_for()
    rows = page.locator("#registry-import tbody tr")
    assert rows.count() == 2 and words["product line"] in rows.first.inner_text()
    screenshot(page, tmp_path, f"import-refused-{name}")


def upload(page, file_name: str, text: str) -> None:
    page.locator("#id_file").set_input_files(files=[{"name": file_name, "mimeType": "text/csv",
                                                      "buffer": text.encode()}])
    page.locator("main form[enctype] button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("[data-import-status]").get_by_text(file_name).wait_for()


@pytest.mark.parametrize("journey", RUNS, indirect=True, ids=IDS)
def test_the_executive_care_agent_and_the_auditor_land_on_the_cases_they_may_act_on(journey, cases, tmp_path):  # noqa: F811
    page, base, language, size = journey
    words, name = WORDS[language], f"{language}-{size}"
    # given an executive-care agent; when they sign in
    role_user("exec-care", username="care")
    sign_in(page, base, "care")
    # then they land on the cases waiting for them, and one opens
    assert words["waiting"] in page.locator("main").inner_text() and fits_the_screen(page)
    screenshot(page, tmp_path, f"exec-care-landing-{name}")
    page.locator(f'main a[href="/console/cases/{cases["asked"].number}/"]').first.click()
    page.wait_for_url(f"{base}/console/cases/{cases['asked'].number}/")
    # and the auditor lands on the recently closed cases, and one opens
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    role_user("auditor", username="reader")
    sign_in(page, base, "reader")
    assert words["closed"] in page.locator("main").inner_text() and fits_the_screen(page)
    screenshot(page, tmp_path, f"auditor-landing-{name}")
    page.locator(f'main a[href="/console/cases/{cases["closed"].number}/"]').first.click()
    page.wait_for_url(f"{base}/console/cases/{cases['closed'].number}/")


@pytest.mark.parametrize("journey", RUNS, indirect=True, ids=IDS)
def test_the_counter_confirms_the_checks_before_handing_over_and_prints_the_job_sheet_and_label(
        journey, centres, tmp_path):
    page, base, language, size = journey
    words, name = WORDS[language], f"{language}-{size}"
    # given a repair ready to collect, and the desk of its centre
    case = drive(book(), Status.READY, now=clock.now())
    role_user("staff", username="desk", centres=[centres["sh"]])
    sign_in(page, base, "desk")
    # when they open the case, it opens on its return, with the job sheet and the label to print
    page.goto(f"{base}/console/cases/{case.number}/")
    for paper in ("job-sheet.pdf", "label.pdf"):
        printed = page.request.get(f"{base}/console/cases/{case.number}/{paper}")
        assert printed.ok and printed.body().startswith(b"%PDF"), paper
    hand_over = page.locator(f'form[action="/console/cases/{case.number}/return/collect/"]')
    # and press "hand over" without confirming the checks, the hand-over is refused beside them
    hand_over.locator("button[type=submit]").click()
    hand_over = page.locator(f'form[action="/console/cases/{case.number}/return/collect/"]')
    hand_over.locator(".error").first.wait_for()
    assert Case.objects.get(pk=case.pk).status == Status.READY and fits_the_screen(page)
    screenshot(page, tmp_path, f"hand-over-checks-{name}")
    # and once both are confirmed, the device is handed over
    hand_over.locator("#id_collect-identity_checked").check()
    hand_over.locator("#id_collect-returned_complete").check()
    hand_over.locator("button[type=submit]").click()
    page.get_by_text(words["handed over"]).first.wait_for()
    assert Case.objects.get(pk=case.pk).status == Status.COLLECTED
    screenshot(page, tmp_path, f"handed-over-{name}")

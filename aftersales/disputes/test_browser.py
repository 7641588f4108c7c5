"""A dispute in a real browser, in English and in Chinese: the customer files it on the portal
and is shown its number and the day the answer is due; an executive-care agent finds it in the
queue, answers with troubleshooting steps, and the letter goes out in the customer's language; a
late dispute, escalated by the sweep, is shown late to executive care."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.management import call_command

from aftersales.console.test_case_browser import sign_in
from aftersales.core import clock
from aftersales.core.testing import NOW, role_user
from aftersales.disputes.models import Dispute
from aftersales.disputes.services import Filing, dispute_file
from aftersales.notifications.models import Notification
from aftersales.sla.models import Escalation

pytestmark = pytest.mark.browser

WORDS = {
    "en": {"send": "Send to executive care", "filed": "We have your dispute", "subject": "Our answer to your dispute",
           "story": "The fan is still loud after the repair."},
    "zh-hans": {"send": "提交给高级客户关怀团队", "filed": "我们已收到您的争议", "subject": "关于您的争议",
                "story": "维修后风扇仍然很响。"},
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_customer_files_a_dispute_and_executive_care_answers_it_in_their_language(live_server, centres, page,
                                                                                    language):
    words = WORDS[language]
    role_user("exec-care", username="care")
    # given the dispute form, in the customer's language
    page.goto(f"{live_server.url}/dispute/")
    if language != "en":
        page.get_by_role("button", name="简体中文").click()
        page.wait_for_url(f"{live_server.url}/dispute/")
    # when they send it with a mistake, every problem is listed and what they typed stays
    page.locator("#id_customer_name").fill("Li Lei")
    page.locator("#id_case_number").fill("NA-2011-0042")
    page.locator("#id_what_happened").fill(words["story"])
    page.locator("#id_email").fill("li.lei@")
    page.get_by_role("button", name=words["send"]).click()
    assert page.locator(".form-errors li").count() == 3  # serial, country, e-mail
    assert page.locator("#id_what_happened").input_value() == words["story"]
    # and when they put it right and send it again
    page.locator("#id_serial").fill("HD000001")
    page.locator("#id_country").select_option("CN")
    page.locator("#id_email").fill("li.lei@example.com")
    page.get_by_role("button", name=words["send"]).click()
    # then they see the dispute number and the day the answer is due
    page.get_by_role("heading", name=words["filed"]).wait_for()
    dispute = Dispute.objects.get()
    assert page.locator("[data-dispute-number]").inner_text() == dispute.display_number
    assert "2025-06-08" in page.content()
    # when an agent opens it from the queue and answers with troubleshooting steps
    agent = page.context.browser.new_context().new_page()
    sign_in(agent, live_server.url, "care")
    agent.goto(f"{live_server.url}/console/disputes/")
    agent.get_by_role("link", name=dispute.display_number).click()
    agent.locator("#resolve-troubleshooting summary").click()
    agent.locator("#id_troubleshooting-explanation").fill("1. Unplug the power. 2. Hold the power button 30 s.")
    agent.locator("#resolve-troubleshooting").get_by_role("button").click()
    # then the dispute shows the resolution, and the letter is in the customer's language
    agent.locator('.resolution[data-kind="troubleshooting"]').wait_for()
    letter = Notification.objects.get(template="dispute-letter")
    assert letter.language == language and letter.subject.startswith(words["subject"])
    agent.context.close()


LATE = {"en": ("Overdue by 2 hours", "was due 2025-06-08 12:00 (UTC+08:00)"),
        "zh-hans": ("已超时 2 小时", "原定 2025-06-08 12:00（UTC+08:00）到期")}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_late_dispute_is_escalated_and_shown_late_to_executive_care(live_server, centres, page, language):
    # given a dispute filed on 1 June at noon (Shanghai) that nobody has answered
    role_user("exec-care", username="care")
    dispute = dispute_file(filing=Filing(customer_name="Li Lei", case_number="NA-2011-0042", serial="HD000001",
                                         country="CN", what_happened="Overcharged.", email="li.lei@example.com"),
                           actor=None, now=NOW)
    # when the week runs out and the sweep runs, and an agent opens the console two hours later
    with clock.frozen(NOW + dt.timedelta(days=7, minutes=1)):
        call_command("sla-sweep", stdout=io.StringIO())
    assert list(Escalation.objects.values_list("percent", flat=True)) == [50, 80, 100]
    with clock.frozen(NOW + dt.timedelta(days=7, hours=2)):
        sign_in(page, live_server.url, "care")
        page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                                   "url": live_server.url}])
        page.goto(f"{live_server.url}/console/disputes/")
        # then the queue shows it late, and so does its page, with the moment it was due
        late, was_due = LATE[language]
        row = page.locator("[data-row]", has_text=dispute.display_number)
        assert late in row.locator(".badge--late").inner_text()
        row.get_by_role("link", name=dispute.display_number).click()
        clock_line = page.locator('#clocks [data-sla-target="first-answer"]')
        assert late in clock_line.inner_text() and was_due in clock_line.inner_text()

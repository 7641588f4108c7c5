""""I don't understand this" on the quotation page: a message in the case's conversation that
quotes the line (or the whole quotation) as the customer was shown it, which the centre's staff
are e-mailed about and read on the case page."""

from __future__ import annotations

import html

from django.test import Client
from django.test.utils import override_settings

from aftersales.conversation.models import AuthorKind, Message
from aftersales.core.testing import role_user
from aftersales.notifications.models import Notification
from aftersales.portal.test_case_pages import booked_case, centre, quoted  # noqa: F401 (fixtures)
from aftersales.repairs.models import FollowUp


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_i_dont_understand_beside_a_line_starts_a_message_quoting_that_line_and_staff_are_told(quoted):
    # given a quotation sent for a case, and a member of staff of its centre who reads e-mail
    case, token = quoted
    staff = role_user("staff", username="desk", centres=[case.centre])
    staff.email = "desk@example.com"
    staff.save()
    # when the customer, reading the link in Chinese, presses the button beside line 1 without writing
    response = Client().post(f"/q/{token}/unclear/", {"line": "1", "message": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    # then the case's conversation holds their message, quoting the line and its price as shown
    assert response.status_code == 302 and response["Location"] == f"/q/{token}/"
    message = Message.objects.get(case=case)
    assert (message.author_kind, message.body) == (AuthorKind.CUSTOMER, "我看不懂这条内容，请为我解释。")
    assert message.about == f"quotation-{case.quotations.get().pk}-line-1"
    assert message.quote == "2025-06-01 报价单第 1 项：\n更换故障硬盘。 — 349.00 CNY"
    assert not FollowUp.objects.filter(case=case).exists()
    # and the member of staff is e-mailed, and reads it on the case page with what was unclear
    assert Notification.objects.get(template="message-to-staff").recipient == "desk@example.com"
    desk = Client()
    desk.force_login(staff)
    page = text(desk.get(f"/console/cases/{case.number}/"))
    assert "The customer did not understand this:" in page and "更换故障硬盘。 — 349.00 CNY" in page


def test_i_dont_understand_under_the_lines_sends_the_customers_words_about_the_whole_quotation(quoted):
    case, token = quoted
    Client().post(f"/q/{token}/unclear/", {"message": "Why does a disk cost this much?"})
    message = Message.objects.get(case=case)
    assert message.body == "Why does a disk cost this much?" and message.about == f"quotation-{case.quotations.get().pk}"
    assert message.quote == "Quotation of 2025-06-01:\n1. Replace the failing hard disk. — 349.00 CNY"


def test_the_customer_who_opened_the_case_reads_the_question_in_its_conversation(quoted):
    case, token = quoted
    client = Client()
    client.post("/track/", {"number": case.number, "contact": "wang@example.com"})
    response = client.post(f"/q/{token}/unclear/", {"line": "1", "message": "What is a sector?"}, follow=True)
    page = text(response)
    assert "What is a sector?" in page and "You did not understand this:" in page
    assert "Quotation of 2025-06-01, line 1:" in page


def test_an_oversized_question_is_refused_with_the_text_kept_and_nothing_written(quoted):
    case, token = quoted
    long = "Why? " * 4001
    response = Client().post(f"/q/{token}/unclear/", {"line": "1", "message": long})
    page = text(response)
    assert response.status_code == 400 and "a message holds at most 20,000" in page
    assert long.strip() in page and "Replace the failing hard disk." in page
    assert not Message.objects.exists()


def test_the_quotation_page_offers_the_question_beside_each_line(quoted):
    _case, token = quoted
    page = text(Client().get(f"/q/{token}/"))
    assert 'form="unclear" name="line" value="1"' in page and "I don't understand this line" in page


@override_settings(CUSTOMER_MESSAGES_PER_MINUTE=1)
def test_questions_past_the_limit_are_refused_on_the_quotation_page_with_the_text_kept(quoted):
    case, token = quoted
    assert Client().post(f"/q/{token}/unclear/", {"message": "Why?"}).status_code == 302
    refused = Client().post(f"/q/{token}/unclear/", {"message": "Why, really?"})
    assert refused.status_code == 429 and "Why, really?" in text(refused)
    assert Message.objects.filter(case=case).count() == 1

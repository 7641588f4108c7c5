"""Anonymous forms that book a case, or send a message that reaches staff, are limited per address
like the API: past the limit, 429 with Retry-After and plain words in the visitor's language."""

import html

from django.test import Client, override_settings

from aftersales.conversation.models import Message
from aftersales.portal.test_case_pages import application, booked_case, centre, quoted  # noqa: F401
from aftersales.repairs.models import Case

API_BOOKING = {"centre": "sh-01", "kind": "carry-in", "customer_name": "Zhao Min", "email": "zhao@example.com",
               "serial": "HD000001", "symptoms": ["No picture"], "language": "zh-hans",
               "ack_data_loss": True, "ack_passwords": True, "ack_peripherals": True}


@override_settings(CASE_LOOKUPS_PER_MINUTE=3)
def test_applications_past_the_limit_are_refused_with_a_wait_in_both_languages(registry, centre):
    # given one address that applies four times within a minute (the clock is frozen)
    client = Client()
    codes = [client.post("/repair/apply/", application()).status_code for _ in range(3)]
    en = client.post("/repair/apply/", application())
    zh = client.post("/repair/apply/", application(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    # then the first three are booked and the rest refused, saying how long to wait
    assert codes == [302, 302, 302] and (en.status_code, zh.status_code) == (429, 429)
    assert en["Retry-After"] == zh["Retry-After"] == "60"  # the clock is frozen at the start of a minute
    assert "Too many repair applications from your network in the last minute. Please wait 60 seconds" in \
        html.unescape(en.content.decode())
    assert "您所在网络在一分钟内提交的维修申请过多。请等待 60 秒后再试。" in zh.content.decode()
    assert Case.objects.count() == 3


@override_settings(CASE_LOOKUPS_PER_MINUTE=2)
def test_the_page_and_the_api_share_one_booking_budget(registry, centre):
    Client().post("/repair/apply/", application())
    api = Client().post("/api/v1/cases", data=API_BOOKING, content_type="application/json")
    assert api.status_code == 201
    assert Client().post("/repair/apply/", application()).status_code == 429
    assert Client().post("/api/v1/cases", data=API_BOOKING, content_type="application/json").status_code == 429


@override_settings(CUSTOMER_MESSAGES_PER_MINUTE=2)
def test_messages_on_a_case_past_the_limit_are_refused(booked_case):
    client = Client()
    client.post("/track/", {"number": booked_case.number, "contact": "wang@example.com"})
    url = f"/track/{booked_case.number}/message/"
    codes = [client.post(url, {"body": f"Question {n}"}).status_code for n in range(3)]
    refused = client.post(url, {"body": "One more"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert codes == [302, 302, 429] and refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "您所在网络在一分钟内发送的留言过多。" in refused.content.decode()
    assert Message.objects.count() == 2


@override_settings(CUSTOMER_MESSAGES_PER_MINUTE=1)
def test_i_dont_understand_past_the_limit_is_refused_on_the_quotation_page(quoted):
    case, token = quoted
    assert Client().post(f"/q/{token}/unclear/", {"message": "Why?"}).status_code == 302
    refused = Client().post(f"/q/{token}/unclear/", {"message": "Why, really?"})
    page = html.unescape(refused.content.decode())
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "Too many messages from your network in the last minute. Please wait 60 seconds" in page
    assert "Replace the failing hard disk." in page  # the quotation is still there to read
    assert Message.objects.filter(case=case).count() == 1

"""The phone number page of the customer's account: a code texted, typed back, and the repairs
booked earlier with that number listed under "my repairs"; what is wrong said beside the field."""

from __future__ import annotations

import html
import re

from django.test import Client

from aftersales.core.testing import role_user
from aftersales.customers.test_links import booked
from aftersales.customers.test_phones import phone  # noqa: F401 (fixture)
from aftersales.portal.test_case_pages import centre  # noqa: F401 (fixture)


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_customer_confirms_their_phone_and_the_repair_booked_with_it_joins_their_repairs(
        registry, centre, phone, django_capture_on_commit_callbacks):  # noqa: F811
    # given a repair booked with only a phone number, and the same person signed in with an account
    case = booked("HD000001", phone="139 1234 5678")
    client = Client()
    client.force_login(role_user("customer", username="wang"))
    assert case.display_number not in text(client.get("/account/cases/"))
    # when they give the number on the phone page, in Chinese
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/account/phone/", {"step": "send", "phone-phone": "13912345678"},
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    # then a code is texted, and the page asks for it
    assert sent.status_code == 200 and "我们已向 13912345678 发送了六位数验证码" in text(sent)
    code = re.search(r"\d{6}", phone[-1][1]).group(0)
    # and when they type it back, the repair is theirs and listed
    done = client.post("/account/phone/", {"step": "confirm", "sent_to": "13912345678", "code-code": code},
                       follow=True)
    page = text(done)
    assert "Your phone number 13912345678 is confirmed. 1 earlier repair was added to your account." in page
    assert case.display_number in page
    assert "13912345678" in text(client.get("/account/phone/"))  # listed as confirmed


def test_a_wrong_code_or_a_number_that_is_not_one_is_said_beside_the_field(
        registry, centre, phone, django_capture_on_commit_callbacks):  # noqa: F811
    client = Client()
    client.force_login(role_user("customer", username="wang"))
    refused = client.post("/account/phone/", {"step": "send", "phone-phone": "12 34"})
    assert refused.status_code == 400 and "with at least six digits" in text(refused)
    assert 'value="12 34"' in text(refused) and phone == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/phone/", {"step": "send", "phone-phone": "13912345678"})
    code = re.search(r"\d{6}", phone[-1][1]).group(0)
    wrong = "000000" if code != "000000" else "111111"
    refused = client.post("/account/phone/", {"step": "confirm", "sent_to": "13912345678", "code-code": wrong},
                          HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 400 and "验证码不正确。请核对后重试。" in text(refused)
    assert "code-wrong" not in text(refused).replace('data-code="code-wrong"', "")

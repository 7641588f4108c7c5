"""The customer's way in: the home page's three tasks, signing in with a password or a one-time
link from an e-mail, "my repairs" and "my devices", and the return address of a mail-in booking."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings

from aftersales.core import clock
from aftersales.core.testing import NOW, role_user
from aftersales.portal.test_case_pages import application, centre  # noqa: F401 (fixture)
from aftersales.repairs.models import Case

PASSWORD = "not-used-pw"  # role_user's


def text(response) -> str:
    return html.unescape(response.content.decode())


def customer(username: str = "wang", email: str = "wang@example.com"):
    user = role_user("customer", username=username)
    user.email = email
    user.save()
    return user


def link_from_mail() -> str:
    return re.search(r"https?://[^/]+(/account/link/[A-Za-z0-9_-]+/)", mail.outbox[-1].body).group(1)


def ask_for_link(client: Client, email: str, capture, **headers):
    with capture(execute=True):
        return client.post("/account/sign-in/link/", {"link-email": email}, **headers)


@pytest.mark.parametrize("language, words", [
    ("en", ["Check my warranty", "Book a repair", "Follow my repair", "Sign in"]),
    ("zh-hans", ["查询保修", "登记维修", "查询维修进度", "登录"]),
])
def test_the_home_page_leads_to_checking_the_warranty_booking_and_following_a_repair(registry, language, words):
    page = text(Client(HTTP_ACCEPT_LANGUAGE=language).get("/"))
    tasks = page[page.index('<nav class="tasks"'):page.index("</nav>", page.index('<nav class="tasks"'))]
    assert re.findall(r'href="([^"]+)"', tasks) == ["/warranty/", "/repair/apply/", "/track/"]
    assert all(word in page for word in words)
    assert 'href="/account/sign-in/"' in page


def test_the_warranty_answer_offers_to_book_a_repair_for_that_device(registry, centre):  # noqa: F811
    answer = text(Client().post("/warranty/", {"serial": "HD000001", "symptom": "no-power"}))
    assert 'href="/repair/apply/?serial=HD000001"' in answer and "Book a repair for this device" in answer
    form = text(Client().get("/repair/apply/?serial=HD000001"))
    assert re.search(r'name="serial" value="HD000001"', form)


def test_a_customer_signs_in_with_the_link_from_the_email_once_and_sees_the_repairs_booked_with_it(
        registry, centre, django_capture_on_commit_callbacks):  # noqa: F811
    # given a repair booked without an account, and a link asked for with the same address
    assert Client().post("/repair/apply/", application(email="Wang@Example.com")).status_code == 302
    number = Case.objects.get().number
    browser = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    sent = ask_for_link(browser, "wang@example.com", django_capture_on_commit_callbacks)
    assert sent.status_code == 200 and "我们正在向 wang@example.com 发送登录链接" in text(sent)
    link = link_from_mail()
    # when the link is opened (a mail scanner's visit spends nothing) and its button pressed
    assert browser.get(link).status_code == 200
    signed_in = browser.post(link)
    # then the customer sees the repair under "my repairs"
    assert signed_in.status_code == 302 and signed_in["Location"] == "/account/cases/"
    mine = text(browser.get("/account/cases/"))
    assert Case.objects.get().display_number in mine and "我的维修" in mine
    assert browser.get(f"/track/{number}/").status_code == 200
    # and the same link a second time, in another browser, opens nothing
    again = Client().post(link)
    assert again.status_code == 410 and "This sign-in link has already been used" in text(again)
    assert "_auth_user_id" not in again.wsgi_request.session


def test_a_link_opened_after_its_lifetime_is_refused_in_plain_words(registry, django_capture_on_commit_callbacks):
    with clock.frozen(NOW):
        ask_for_link(Client(), "wang@example.com", django_capture_on_commit_callbacks)
    with clock.frozen(NOW + dt.timedelta(minutes=16)):
        late = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post(link_from_mail())
    assert late.status_code == 410 and "此登录链接已过期" in text(late)


def test_asking_for_a_link_says_the_same_for_an_unknown_address_and_refuses_a_wrong_one(
        registry, django_capture_on_commit_callbacks):
    known, unknown = customer(), "nobody@example.com"
    answers = [re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text(ask_for_link(
        Client(), address, django_capture_on_commit_callbacks))).replace(address, "…") for address in (known.email, unknown)]
    assert answers[0] == answers[1]
    wrong = ask_for_link(Client(), "wang at example", django_capture_on_commit_callbacks)
    assert wrong.status_code == 400 and "name@example.com" in text(wrong)
    assert 'value="wang at example"' in text(wrong)  # kept as typed


@override_settings(CUSTOMER_MESSAGES_PER_MINUTE=2)
def test_asking_for_links_past_the_limit_is_refused_with_a_wait(registry, django_capture_on_commit_callbacks):
    client = Client()
    codes = [ask_for_link(client, f"u{n}@example.com", django_capture_on_commit_callbacks).status_code
             for n in range(3)]
    assert codes == [200, 200, 429] and len(mail.outbox) == 2
    refused = ask_for_link(client, "u9@example.com", django_capture_on_commit_callbacks,
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused["Retry-After"] and text(refused).count("您所在网络在一分钟内申请的登录链接过多") == 1


def test_a_customer_signs_in_with_a_password_by_email_address_and_goes_where_they_were_going(
        registry, centre):  # noqa: F811
    user = customer()
    client = Client()
    client.force_login(user)
    client.post("/repair/apply/", application())
    fresh = Client()
    assert fresh.get("/account/devices/")["Location"] == "/account/sign-in/?next=/account/devices/"
    response = fresh.post("/account/sign-in/", {"login": "WANG@example.com", "password": PASSWORD,
                                                "next": "/account/devices/"})
    assert response.status_code == 302 and response["Location"] == "/account/devices/"
    devices = text(fresh.get("/account/devices/"))
    assert "HD000002" in devices and 'href="/repair/apply/?serial=HD000002"' in devices


def test_a_signed_in_customer_finds_their_name_and_contact_already_on_the_application(registry, centre):  # noqa: F811
    user = customer()
    user.first_name, user.last_name, user.phone = "Fang", "Wang", "13800138000"
    user.save()
    client = Client()
    client.force_login(user)
    form = text(client.get("/repair/apply/?serial=HD000001"))
    for value in ("Fang Wang", "wang@example.com", "13800138000", "HD000001"):
        assert f'value="{value}"' in form


def test_a_wrong_password_or_a_staff_account_does_not_sign_in_here(registry):
    customer()
    role_user("staff", username="li")
    for login, password in [("wang@example.com", "wrong-pw"), ("li", PASSWORD)]:
        response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post("/account/sign-in/",
                                                               {"login": login, "password": password})
        assert response.status_code == 400 and "不匹配任何客户账户" in text(response)
        assert f'value="{login}"' in text(response)


def test_too_many_wrong_passwords_pause_the_customer_sign_in_as_the_console_does(registry):
    customer()
    answers = [Client(REMOTE_ADDR=f"198.51.100.{n}").post(
        "/account/sign-in/", {"login": "wang@example.com", "password": f"guess-{n}"}).status_code
        for n in range(settings.AXES_FAILURE_LIMIT)]
    assert answers[-1] == 429
    right = Client(REMOTE_ADDR="192.0.2.9").post("/account/sign-in/", {"login": "wang", "password": PASSWORD})
    assert right.status_code == 429 and "paused" in text(right)


def test_a_customer_sets_a_password_and_signs_in_with_it(registry, django_capture_on_commit_callbacks):
    browser = Client()
    ask_for_link(browser, "zhao@example.com", django_capture_on_commit_callbacks)
    browser.post(link_from_mail())
    saved = browser.post("/account/password/", {"new_password1": "Pearl-river-2025", "new_password2": "Pearl-river-2025"})
    assert saved.status_code == 302
    assert Client().post("/account/sign-in/", {"login": "zhao@example.com",
                                               "password": "Pearl-river-2025"}).status_code == 302


def test_a_mail_in_booking_without_a_return_address_shows_every_problem_at_once_and_keeps_what_was_typed(
        registry, centre):  # noqa: F811
    form = application(kind="mail-in", email="", phone="", ack_passwords="", customer_name="Wang Fang",
                       operating_system="Windows 11")
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post("/repair/apply/", form)
    page = text(response)
    assert response.status_code == 400 and not Case.objects.exists()
    for problem in ["您选择了寄修：请填写维修后寄回设备的地址。", "请留下电子邮箱或电话号码", "请确认全部三项"]:
        assert problem in page
    assert 'value="Wang Fang"' in page and 'value="Windows 11"' in page and "Clicking noise from the disk" in page


def test_a_mail_in_booking_keeps_its_return_address_and_staff_see_it_on_the_case(registry, centre):  # noqa: F811
    address = "Wang Fang\n  88 Century Avenue, Pudong\n\nShanghai 200120 "
    assert Client().post("/repair/apply/", application(kind="mail-in", return_address=address)).status_code == 302
    case = Case.objects.get()
    assert case.return_address == "Wang Fang\n88 Century Avenue, Pudong\nShanghai 200120"
    staff = Client()
    staff.force_login(role_user("staff", username="li", centres=[centre]))
    page = text(staff.get(f"/console/cases/{case.number}/"))
    assert "88 Century Avenue, Pudong<br>Shanghai 200120" in page


def test_a_carry_in_booking_keeps_no_return_address(registry, centre):  # noqa: F811
    Client().post("/repair/apply/", application(kind="carry-in", return_address="88 Century Avenue"))
    assert Case.objects.get().return_address == ""


@pytest.mark.parametrize("address, words", [
    ("88 Century Avenue\x1b[2J\u202e", "cannot be printed on a parcel label"),
    ("88 Century Avenue\x00", "Null characters are not allowed"),
    ('<img src=x onerror="alert(1)"> 88 Road', "cannot contain < or >"),
    ("x" * 500, "too long for a parcel label"),
])
def test_a_hostile_return_address_is_refused_with_a_clear_reason(registry, centre, address, words):  # noqa: F811
    response = Client().post("/repair/apply/", application(kind="mail-in", return_address=address))
    assert response.status_code == 400 and words in text(response) and not Case.objects.exists()
    assert "<img src=x" not in response.content.decode()

"""The conversation on the customer's case page: replying with files, "I don't understand" beside
an explanation, what the customer sees of the centre's side, and where and when to collect a
ready device."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aftersales.conversation.models import Message
from aftersales.conversation.services import message_post
from aftersales.core.testing import NOW
from aftersales.evidence.conftest import photo, stored_files, windows_exe
from aftersales.evidence.models import Evidence
from aftersales.portal.test_case_pages import application, centre  # noqa: F401 (fixture)
from aftersales.repairs.models import Case
from aftersales.repairs.status import Status
from aftersales.repairs.testing import drive, staff_member


def opened(case: Case, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.post("/track/", {"number": case.number, "contact": case.email}).status_code == 302
    return client


def page(client: Client, case: Case) -> str:
    return html.unescape(client.get(f"/track/{case.number}/").content.decode())


@pytest.fixture
def booked(registry, centre):  # noqa: F811
    centre.address, centre.phone = "88 Caoxi Road, Xuhui", "021-5555-0100"
    centre.save()
    Client().post("/repair/apply/", application())
    return Case.objects.get()


def test_the_customer_writes_with_a_photo_and_sees_both_on_their_case_page(booked):
    client = opened(booked)
    # when the customer writes with a photo
    response = client.post(f"/track/{booked.number}/message/", {
        "body": "It clicks louder in the morning.", "files": [SimpleUploadedFile("disk.jpg", photo())]})
    # then they are back on the case, where the message and the photo are shown
    assert response.status_code == 302 and response["Location"] == f"/track/{booked.number}/#conversation"
    shown = page(client, booked)
    assert "It clicks louder in the morning." in shown and "disk.jpg" in shown
    photo_kept = Evidence.objects.get()
    assert f"/track/{booked.number}/photos/{photo_kept.public_id}/" in shown
    assert client.get(f"/track/{booked.number}/photos/{photo_kept.public_id}/").status_code == 200


def test_i_dont_understand_beside_an_explanation_starts_a_message_quoting_it_in_the_customers_language(booked):
    staff = staff_member(centre=booked.centre)
    drive(booked, Status.DIAGNOSING, staff=staff, now=NOW)
    client = opened(booked, "zh-hans")
    received = booked.events.get(to_status=Status.RECEIVED)
    # when the customer presses "I don't understand" beside "received" without writing anything
    assert f'value="event-{received.pk}"' in page(client, booked)
    response = client.post(f"/track/{booked.number}/message/", {"about": f"event-{received.pk}", "body": ""})
    # then a message in the thread says so in Chinese, quoting the line as they were shown it
    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.body, message.about, message.quote) == (
        "我看不懂这条内容，请为我解释。", f"event-{received.pk}", received.summary_zh)
    shown = page(client, booked)
    assert "您表示看不懂以下内容：" in shown and received.summary_zh in shown


def test_i_dont_understand_cannot_quote_a_line_of_another_case_or_a_staff_only_line(booked):
    client = opened(booked)
    client.post(f"/track/{booked.number}/message/", {"about": "event-999999", "body": "What does this mean?"})
    message = Message.objects.get()
    assert (message.about, message.quote) == ("", "")


@pytest.mark.parametrize("about", ["event-²", "event-" + "9" * 30, "event--1", "event-１"])
def test_i_dont_understand_about_a_line_that_cannot_be_one_is_a_plain_message(booked, about):
    client = opened(booked)
    response = client.post(f"/track/{booked.number}/message/", {"about": about, "body": "What does this mean?"})
    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.about, message.quote, message.body) == ("", "", "What does this mean?")


@pytest.mark.parametrize("language, words", [
    ("en", "Write your message before sending it."), ("zh-hans", "请先填写消息内容再发送。")])
def test_an_empty_message_is_refused_on_the_page_in_the_customers_language(booked, language, words):
    client = opened(booked, language)
    response = client.post(f"/track/{booked.number}/message/", {"body": "  "})
    assert response.status_code == 400 and words in html.unescape(response.content.decode())
    assert not Message.objects.exists()


def test_a_refused_file_keeps_the_typed_text_and_stores_nothing(booked, media_root):
    client = opened(booked)
    response = client.post(f"/track/{booked.number}/message/", {
        "body": "Here is my invoice.", "files": [SimpleUploadedFile("invoice.pdf", windows_exe())]})
    shown = html.unescape(response.content.decode())
    assert response.status_code == 400 and "Here is my invoice.</textarea>" in shown
    assert "We accept photos (JPEG, PNG, WebP, HEIC), videos (MP4, MOV) and PDF documents" in shown
    assert not Message.objects.exists() and not Evidence.objects.exists() and stored_files(media_root) == []


def test_the_customer_sees_the_centres_messages_and_files_for_them_but_never_an_internal_note(booked):
    staff = staff_member(centre=booked.centre)
    message_post(case=booked, author_kind="staff", actor=staff, body="The disk will be replaced tomorrow.",
                 files=[SimpleUploadedFile("new-disk.jpg", photo())], now=NOW, language="en")
    message_post(case=booked, author_kind="staff", actor=staff, body="Customer sounded upset on the phone.",
                 files=[SimpleUploadedFile("shelf.jpg", photo(orientation=1))], internal=True, now=NOW,
                 language="en")
    shown = page(opened(booked), booked)
    assert "The disk will be replaced tomorrow." in shown and "new-disk.jpg" in shown
    assert "sounded upset" not in shown and "shelf.jpg" not in shown
    hidden = Evidence.objects.get(original_name="shelf.jpg")
    assert opened(booked).get(f"/track/{booked.number}/photos/{hidden.public_id}/").status_code == 404


@pytest.mark.parametrize("language, expected", [
    ("en", ["Your device is ready to collect", "Shanghai Xuhui, 88 Caoxi Road, Xuhui", "021-5555-0100",
            "1 June 2025", "We keep your device free of charge until 30 July 2025.",
            "From 31 July 2025, storage costs CNY 5.00 a day", "If it is still with us on 30 August 2025"]),
    ("zh-hans", ["您的产品已可取回", "上海徐汇, 88 Caoxi Road, Xuhui", "2025年6月1日",
                 "我们免费保管您的产品至 2025年7月30日。", "自 2025年7月31日 起，保管费为每天 5.00 元",
                 "如到 2025年8月30日 产品仍未取回"]),
])
def test_a_ready_device_shows_where_and_when_to_collect_it_and_the_storage_dates(booked, language, expected):
    # given a carry-in desktop found with nothing to repair and ready on 1 June 2025 (the pack
    # keeps a device 60 days free, then 5.00 a day, and reviews it 30 days after fees begin)
    drive(booked, Status.READY, now=NOW)
    shown = page(opened(booked, language), booked)
    for words in expected:
        assert words in shown, words


def test_before_the_device_is_ready_there_is_nothing_to_collect(booked):
    assert "Your device is ready to collect" not in page(opened(booked), booked)

"""Posting on a case's conversation: what is kept, who is told and in which language, and what is
refused with nothing left behind."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.conversation.models import Message
from aftersales.conversation.selectors import thread
from aftersales.conversation.services import message_post
from aftersales.core.errors import AppError
from aftersales.core.testing import role_user
from aftersales.evidence.conftest import photo, stored_files, windows_exe
from aftersales.evidence.models import Evidence
from aftersales.notifications.conftest import NOW
from aftersales.notifications.models import Notification
from aftersales.repairs.models import CaseEvent


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def told(template: str) -> list[Notification]:
    return list(Notification.objects.filter(template=template).order_by("recipient"))


def test_a_customers_message_with_a_photo_is_kept_and_emailed_to_the_centres_staff_each_in_their_language(
        case, desk):
    # given a case at Shanghai, whose staff read Chinese and English
    # when the customer writes with a photo attached
    message = message_post(case=case, author_kind="customer", actor=None, body="  风扇一直很响，附上照片。  ",
                           files=[upload("fan.jpg", photo())], now=NOW, language="zh-hans")
    # then the message is kept as written, with the photo as the customer's own evidence
    assert (message.body, message.language, message.visibility) == ("风扇一直很响，附上照片。", "zh-hans", "customer")
    [photo_kept] = message.attachments.all()
    assert (photo_kept.kind, photo_kept.original_name, photo_kept.customer_visible) == ("customer", "fan.jpg", True)
    # and each member of the centre's staff with an address gets one e-mail in their own language;
    # nobody at another centre, nobody without an address
    en, zh = told("message-to-staff")  # by address: sam@…, wang.fang@…
    assert (zh.recipient, zh.language, en.recipient, en.language) == (
        "wang.fang@centre.example", "zh-hans", "sam@centre.example", "en")
    assert zh.subject == f"客户发来消息（维修单 {case.display_number}）"
    assert en.subject == f"The customer wrote – case {case.display_number}"
    assert "风扇一直很响，附上照片。" in zh.body_text and "风扇一直很响，附上照片。" in en.body_text
    assert "fan.jpg" in en.body_text and f"/console/cases/{case.number}/" in en.body_text
    assert "Li Lei wrote about their D700MA (serial number HD000123):" in en.body_text
    # and the customer is not e-mailed about their own message
    assert told("message-to-customer") == []


def test_a_message_from_the_centre_is_emailed_to_the_customer_in_the_language_they_booked_in(case, desk):
    # given a case booked in Chinese
    # when a member of staff writes to the customer in English
    message_post(case=case, author_kind="staff", actor=desk["en"], body="The new fan is on its way.",
                 now=NOW, language="en")
    # then the customer gets one e-mail, its words in Chinese around the message as written
    [mail] = told("message-to-customer")
    assert (mail.recipient, mail.language, mail.channel) == ("li.lei@example.com", "zh-hans", "email")
    assert mail.subject == f"上海徐汇给您发来一条消息（维修单 {case.display_number}）"
    assert "关于您的 D700MA（序列号 HD000123），上海徐汇给您留言：" in mail.body_text
    assert "The new fan is on its way." in mail.body_text
    assert f"http://127.0.0.1:8000/track/{case.number}/" in mail.body_text
    # and the staff are not e-mailed about their own side's message
    assert told("message-to-staff") == []


def test_an_internal_note_stays_with_staff_its_files_included(case, desk):
    # when a member of staff keeps a note with a photo
    note = message_post(case=case, author_kind="staff", actor=desk["zh"], body="备件库存只剩一个。", internal=True,
                        files=[upload("shelf.jpg", photo())], now=NOW, language="zh-hans")
    # then staff see it, the customer does not, nor its photo, and nobody is e-mailed
    assert list(thread(case, customer_view=False)) == [note]
    assert list(thread(case, customer_view=True)) == []
    assert Evidence.objects.get().customer_visible is False
    assert told("message-to-customer") == [] and told("message-to-staff") == []
    # and the staff timeline says a note was added, in words the customer's timeline never shows
    line = CaseEvent.objects.get(kind="note")
    assert (line.summary_en, line.customer_visible) == ("An internal note was added.", False)


@pytest.mark.parametrize("body, code, en, zh", [
    ("   \n ", "empty-message", "Write your message before sending it.", "请先填写消息内容再发送。"),
    ("好" * 20_001, "message-too-long",
     ("This message is 20,001 characters long; a message holds at most 20,000. Send the rest in a second "
      "message, or attach it as a PDF."),
     "此消息共 20001 个字符，单条消息最多 20000 个字符。请将其余内容分条发送，或保存为 PDF 作为附件发送。"),
])
def test_an_empty_or_oversized_message_is_refused_in_both_languages_and_nothing_is_written(
        case, desk, media_root, body, code, en, zh):
    before = Notification.objects.count()
    # when the customer sends it, with a good photo
    with pytest.raises(AppError) as refused:
        message_post(case=case, author_kind="customer", actor=None, body=body, files=[upload("a.jpg", photo())],
                     now=NOW, language="en")
    # then it is refused in plain words, and no message, file or e-mail is left
    assert (refused.value.code, refused.value.en, refused.value.zh) == (code, en, zh)
    assert not Message.objects.exists() and not Evidence.objects.exists() and stored_files(media_root) == []
    assert Notification.objects.count() == before


def test_a_message_of_exactly_twenty_thousand_characters_is_kept_whole(case, desk):
    message = message_post(case=case, author_kind="customer", actor=None, body="a" * 20_000, now=NOW, language="en")
    assert len(Message.objects.get(pk=message.pk).body) == 20_000


def test_a_hostile_file_refuses_the_whole_message_and_leaves_no_file_on_disk(case, desk, media_root):
    before = Notification.objects.count()
    # when the customer attaches a good photo and a program named as a photo
    with pytest.raises(AppError) as refused:
        message_post(case=case, author_kind="customer", actor=None, body="See the photos.", now=NOW, language="en",
                     files=[upload("ok.jpg", photo()), upload("holiday.jpg", windows_exe())])
    # then the message is refused with the file's reason, and nothing is kept: not even the good photo
    assert refused.value.code == "unsupported-type" and "仅接受照片" in refused.value.zh
    assert not Message.objects.exists() and not Evidence.objects.exists() and stored_files(media_root) == []
    assert Notification.objects.count() == before


def test_more_files_than_a_field_takes_are_refused(case, desk, settings):
    settings.EVIDENCE_MAX_FILES_PER_FIELD = 1
    with pytest.raises(AppError) as refused:
        message_post(case=case, author_kind="customer", actor=None, body="Two photos.", now=NOW, language="en",
                     files=[upload("a.jpg", photo()), upload("b.jpg", photo(orientation=1))])
    assert refused.value.en == "Please send at most 1 files at a time; you chose 2."
    assert not Message.objects.exists()


def test_staff_of_another_centre_and_roles_that_do_not_work_cases_may_not_write(case, desk):
    # staff of another centre are answered as if the case did not exist
    with pytest.raises(AppError) as elsewhere:
        message_post(case=case, author_kind="staff", actor=desk["other"], body="Hello", now=NOW, language="en")
    assert elsewhere.value.status == 404
    # an auditor reads cases but does not write to customers
    with pytest.raises(AppError) as auditor:
        message_post(case=case, author_kind="staff", actor=role_user("auditor"), body="Hello", now=NOW,
                     language="en")
    assert auditor.value.status == 403
    assert not Message.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_customer_really_receives_the_centres_message_once_the_worker_sends_it(shop, mailoutbox):
    from aftersales.notifications.conftest import book
    from aftersales.notifications.testing import run_due_tasks
    from aftersales.repairs.testing import staff_member

    # given a case booked in English and a message from the centre
    case = book(language="en")
    message_post(case=case, author_kind="staff", actor=staff_member(centre=shop), body="Your fan arrived today.",
                 now=NOW, language="zh-hans")
    # when the sending task runs
    run_due_tasks()
    # then the customer has it, in English
    [mail] = [m for m in mailoutbox if m.subject.startswith("A message from")]
    assert mail.to == ["li.lei@example.com"]
    assert mail.subject == f"A message from Shanghai Xuhui – case {case.display_number}"
    assert "Shanghai Xuhui wrote to you about your D700MA (serial number HD000123):" in mail.body
    assert "Your fan arrived today." in mail.body


def test_a_note_for_the_customer_given_with_a_status_move_becomes_the_centres_message(case, desk):
    from aftersales.conversation.services import case_move_noted

    # when staff receive the device and add a note for the customer
    moved = case_move_noted(number=case.number, to="received", actor=desk["zh"], now=NOW, language="zh-hans",
                            expected="booked", note="  外包装有破损，已拍照留存。 ")
    # then the case moved, the note is the centre's message in the thread (and e-mailed), and the
    # status line says only what happened
    assert moved.status == "received"
    [message] = thread(case, customer_view=True)
    assert (message.author_kind, message.body) == ("staff", "外包装有破损，已拍照留存。")
    assert len(told("message-to-customer")) == 1
    assert "破损" not in CaseEvent.objects.get(kind="status-changed", to_status="received").summary_zh


def test_an_administrator_cancelling_with_a_note_keeps_it_on_the_status_line(case, desk):
    from aftersales.conversation.services import case_move_noted

    case_move_noted(number=case.number, to="cancelled", actor=role_user("admin"), now=NOW, language="en",
                    note="Booked twice by mistake.")
    assert not Message.objects.exists()
    assert CaseEvent.objects.get(kind="status-changed", to_status="cancelled").summary_en.endswith(
        "Booked twice by mistake.")

"""The conversation section of the console's case page: staff write to the customer or keep an
internal note, with files; a refusal shows the section again with the text as typed; the customer's
messages are there, the quoted line they did not understand with them."""

from __future__ import annotations

import html

from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.console.conftest import signed_in
from aftersales.conversation.models import Message
from aftersales.conversation.services import message_post
from aftersales.core import clock
from aftersales.evidence.conftest import photo, stored_files, windows_exe
from aftersales.evidence.models import Evidence
from aftersales.notifications.models import Notification


def text(response) -> str:
    return html.unescape(response.content.decode())


def url(case, tail: str = "") -> str:
    return f"/console/cases/{case.number}/{tail}"


def test_staff_write_to_the_customer_with_a_photo_and_the_customer_is_emailed(booked):
    staff = signed_in("staff")
    # when a member of staff writes to the customer with a photo
    response = staff.post(url(booked, "messages/"), {
        "message-body": "We found dust in the fan; cleaning it now.",
        "message-files": [SimpleUploadedFile("fan.jpg", photo())]})
    # then they are back on the case, at the conversation, which shows the message and the file
    assert response.status_code == 302 and response["Location"] == url(booked) + "#conversation"
    page = text(staff.get(url(booked)))
    assert "Message sent to the customer." in page
    assert "We found dust in the fan; cleaning it now." in page and "fan.jpg" in page
    # and the file is evidence the customer sees, and the customer is e-mailed in English
    assert Evidence.objects.get().customer_visible is True
    mail = Notification.objects.get(template="message-to-customer")
    assert mail.recipient == "li.lei@example.com" and mail.language == "en"


def test_an_internal_note_is_marked_on_the_page_and_nobody_is_emailed(booked):
    staff = signed_in("staff")
    staff.post(url(booked, "messages/"), {"message-body": "Customer prefers calls after 6 pm.",
                                         "message-internal": "on"})
    page = text(staff.get(url(booked)))
    assert "Note added." in page and "Customer prefers calls after 6 pm." in page
    assert "internal note, staff only" in page
    assert Message.objects.get().visibility == "internal"
    assert not Notification.objects.filter(template="message-to-customer").exists()


def test_an_empty_message_or_a_hostile_file_is_refused_with_the_text_kept_and_nothing_stored(booked, settings,
                                                                                           tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = signed_in("staff")
    empty = staff.post(url(booked, "messages/"), {"message-body": " "})
    assert empty.status_code == 422 and "Write your message before sending it." in text(empty)
    hostile = staff.post(url(booked, "messages/"), {
        "message-body": "The invoice you asked for.", "message-files": [SimpleUploadedFile("invoice.pdf",
                                                                                         windows_exe())]})
    shown = text(hostile)
    assert hostile.status_code == 422 and "The invoice you asked for.</textarea>" in shown
    assert "this file is none of these" in shown
    assert not Message.objects.exists() and not Evidence.objects.exists() and stored_files(tmp_path) == []


def test_the_customers_message_and_what_they_did_not_understand_are_on_the_page(booked):
    message_post(case=booked, author_kind="customer", actor=None, body="I don't understand this. Please explain.",
                 now=clock.now(), language="en", about="event-1", quote="Your device was received.")
    page = text(signed_in("staff").get(url(booked)))
    assert "The customer did not understand this:" in page and "Your device was received." in page
    assert "I don't understand this. Please explain." in page


def test_staff_of_another_centre_cannot_write_on_the_case(booked):
    response = signed_in("staff", centre="us-01").post(url(booked, "messages/"), {"message-body": "Hello"})
    assert response.status_code == 404 and not Message.objects.exists()


def test_a_verifier_reads_the_conversation_but_is_not_offered_the_form(booked):
    page = text(signed_in("verifier").get(url(booked)))
    assert "Conversation with the customer" in page and 'name="message-body"' not in page
    assert text(signed_in("staff").get(url(booked))).count('name="message-body"') == 1

"""The signed quotation link: it opens that quotation and nothing else, stops working once the
quotation is answered, withdrawn or replaced (a plain page says so), and works until the end of
the seventh day after the answer-by date, in the case's own calendar."""

import datetime as dt
import html
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from aftersales.billing.links import LINK_GRACE_DAYS
from aftersales.billing.models import Quotation, QuotationStatus
from aftersales.conversation.models import Message
from aftersales.core import clock
from aftersales.core.testing import NOW, role_user
from aftersales.evidence.conftest import photo
from aftersales.portal.test_case_pages import application, booked_case, centre, quoted  # noqa: F401 (fixtures)
from aftersales.repairs.evidence import case_evidence_add
from aftersales.repairs.models import Case
from aftersales.repairs.status import Status

SHANGHAI = ZoneInfo("Asia/Shanghai")


def text(response) -> str:
    return html.unescape(response.content.decode())


def at_shanghai(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI).astimezone(dt.timezone.utc)


def test_the_link_opens_the_quotation_and_not_the_case(quoted):
    case, token = quoted
    client = Client()
    # when the customer opens the link from the e-mail
    page = client.get(f"/q/{token}/")
    # then they see the quotation, and the same browser still cannot open the case's pages
    assert page.status_code == 200 and "Replace the failing hard disk." in text(page)
    assert client.get(f"/track/{case.number}/").status_code == 404
    assert client.get(f"/track/{case.number}/report.pdf").status_code == 404


def test_answering_by_link_alone_comes_back_to_a_page_that_says_it_was_answered(quoted):
    case, token = quoted
    client = Client()
    response = client.post(f"/q/{token}/", {"line-1": "accept"})
    assert response.status_code == 302 and response["Location"] == f"/q/{token}/"
    assert Case.objects.get(pk=case.pk).status == Status.REPAIRING
    again = client.get(response["Location"])
    assert again.status_code == 410
    assert "This quotation was answered on 2025-06-01; thank you." in text(again)
    assert client.get(f"/track/{case.number}/").status_code == 404


def test_someone_who_opened_the_case_goes_back_to_it_after_answering(quoted):
    case, token = quoted
    client = Client()
    client.post("/track/", {"number": case.number, "contact": "wang@example.com"})
    response = client.post(f"/q/{token}/", {"line-1": "decline"})
    assert response.status_code == 302 and response["Location"] == f"/track/{case.number}/"


def test_an_answered_quotation_link_shows_a_plain_page_in_either_language_and_takes_no_second_answer(quoted):
    case, token = quoted
    Client().post(f"/q/{token}/", {"line-1": "decline"})
    charges = list(case.charges.values_list("kind", "amount"))
    # when the link is opened again, in English and in Chinese
    english = Client().get(f"/q/{token}/", HTTP_ACCEPT_LANGUAGE="en")
    chinese = Client().get(f"/q/{token}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    # then a plain page says it was answered: no lines, no prices, no form
    assert english.status_code == chinese.status_code == 410
    assert "answered on 2025-06-01" in text(english) and "该报价已于 2025-06-01 答复" in text(chinese)
    for page in (text(english), text(chinese)):
        assert "349.00" not in page and 'value="accept"' not in page and "Replace the failing" not in page
    # and a second answer changes nothing
    assert Client().post(f"/q/{token}/", {"line-1": "accept"}).status_code == 410
    assert Case.objects.get(pk=case.pk).status == Status.READY
    assert list(case.charges.values_list("kind", "amount")) == charges


def test_a_withdrawn_or_replaced_quotation_link_opens_nothing(quoted):
    case, token = quoted
    q = case.quotations.get()
    Quotation.objects.filter(pk=q.pk).update(status=QuotationStatus.WITHDRAWN)
    assert "no longer open" in text(Client().get(f"/q/{token}/"))
    Quotation.objects.filter(pk=q.pk).update(status=QuotationStatus.SENT)
    Quotation.objects.create(case=case, status=QuotationStatus.SENT, currency="CNY", author=q.author,
                             created_at=NOW, sent_at=NOW + dt.timedelta(hours=1))
    response = Client().get(f"/q/{token}/")
    assert response.status_code == 410 and "replaced by a newer one" in text(response)


def test_the_link_works_until_the_seventh_day_after_the_answer_by_date(quoted):
    case, token = quoted
    q = case.quotations.get()
    assert q.respond_by == dt.date(2025, 6, 15) and LINK_GRACE_DAYS == 7
    last_day = dt.date(2025, 6, 22)
    # late in the evening of its last day in Shanghai, the link still opens and takes an answer
    with clock.frozen(at_shanghai(last_day, 23)):
        assert Client().get(f"/q/{token}/").status_code == 200
    # just after midnight, it has expired, says until when, and takes no answer
    with clock.frozen(at_shanghai(last_day + dt.timedelta(days=1), 0)):
        expired = Client().get(f"/q/{token}/")
        assert expired.status_code == 410 and "This link worked until 2025-06-22." in text(expired)
        assert Client().post(f"/q/{token}/", {"line-1": "accept"}).status_code == 410
        assert Client().post(f"/q/{token}/unclear/", {"message": "?"}).status_code == 410
    assert Case.objects.get(pk=case.pk).status == Status.AWAITING_CUSTOMER and not Message.objects.exists()


def test_the_damage_photos_open_through_the_link_while_it_is_open(quoted, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case, token = quoted
    staff = role_user("staff", username="photographer", centres=[case.centre])
    damage = case_evidence_add(case=case, kind="damage", upload=photo(), name="dent.jpg", actor=staff, now=NOW).evidence
    internal = case_evidence_add(case=case, kind="other", upload=photo(orientation=1), name="bench.jpg", actor=staff,
                                 now=NOW).evidence
    page = Client().get(f"/q/{token}/").content.decode()
    assert f"/q/{token}/photos/{damage.public_id}/" in page and str(internal.public_id) not in page
    assert Client().get(f"/q/{token}/photos/{damage.public_id}/").status_code == 200
    assert Client().get(f"/q/{token}/photos/{internal.public_id}/").status_code == 404
    assert Client().get(f"/q/{token[:-3]}abc/photos/{damage.public_id}/").status_code == 404
    Client().post(f"/q/{token}/", {"line-1": "decline"})
    assert Client().get(f"/q/{token}/photos/{damage.public_id}/").status_code == 404


def test_i_dont_understand_by_link_alone_thanks_the_customer_without_opening_the_case(quoted):
    case, token = quoted
    client = Client()
    response = client.post(f"/q/{token}/unclear/", {"message": "What is a sector?"})
    assert response.status_code == 302 and response["Location"] == f"/q/{token}/"
    assert "A person will call or write to explain the quotation." in text(client.get(response["Location"]))
    assert Message.objects.get(case=case).body == "What is a sector?"
    assert client.get(f"/track/{case.number}/").status_code == 404


def test_a_customer_who_opened_the_case_sees_its_photos_by_their_public_id_only(booked_case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    own = case_evidence_add(case=booked_case, kind="customer", upload=photo(), name="mine.jpg", actor=None,
                            now=NOW).evidence
    client = Client()
    assert client.get(f"/track/{booked_case.number}/photos/{own.public_id}/").status_code == 404  # not opened yet
    client.post("/track/", {"number": booked_case.number, "contact": "wang@example.com"})
    assert client.get(f"/track/{booked_case.number}/photos/{own.public_id}/").status_code == 200
    assert client.get(f"/track/{booked_case.number}/photos/{own.pk}/").status_code == 404


def test_the_quotation_e_mail_says_until_when_its_link_works(quoted):
    from aftersales.notifications.models import Notification

    case, token = quoted
    body = Notification.objects.get(case=case, template="quotation-sent", channel="email").body_text
    assert f"/q/{token}/" in body and "the link works until" in body
    assert "the link works until 22 June 2025;" in body

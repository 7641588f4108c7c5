"""The customer's answer given by phone or at the counter, taken down by staff: it moves the case
as the customer's own answer does, and the timeline says who took it down, when and how."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.billing.models import LineDecision, QuotationStatus
from aftersales.core.errors import AppError, Conflict, Forbidden
from aftersales.repairs.models import Case, CaseEvent
from aftersales.repairs.quotations import quotation_answer_record, quotation_draft, quotation_send
from aftersales.repairs.status import Status
from aftersales.repairs.test_quotations import BOARD, LATER, quotable  # noqa: F401 (fixture)

THEN = LATER + dt.timedelta(hours=1)


@pytest.fixture
def sent(quotable, staff):  # noqa: F811
    q = quotation_draft(number=quotable.number, lines=[BOARD], author=staff, now=LATER)
    quotation_send(quotation_id=q.pk, actor=staff, now=LATER)
    return q


def test_an_answer_given_by_phone_moves_the_case_and_says_who_took_it_down(sent, staff):
    quotation_answer_record(quotation_id=sent.pk, answers={1: "accept"}, channel="phone", actor=staff, now=THEN)
    sent.refresh_from_db()
    assert sent.status == QuotationStatus.ANSWERED and sent.answered_at == THEN
    assert sent.lines.get().decision == LineDecision.ACCEPTED
    assert Case.objects.get(pk=sent.case_id).status == Status.REPAIRING
    answer = CaseEvent.objects.get(case=sent.case, kind="quotation-answered")
    assert (answer.actor, answer.actor_role, answer.at, answer.data["channel"]) == (staff, "staff", THEN, "phone")
    assert "by phone" in answer.summary_en and "电话" in answer.summary_zh
    move = CaseEvent.objects.get(case=sent.case, to_status=Status.REPAIRING)
    assert move.actor == staff


def test_a_declined_answer_at_the_counter_sends_the_device_back(sent, staff):
    quotation_answer_record(quotation_id=sent.pk, answers={1: "decline"}, channel="counter", actor=staff, now=THEN)
    assert Case.objects.get(pk=sent.case_id).status == Status.READY
    assert "at the counter" in CaseEvent.objects.get(case=sent.case, kind="quotation-answered").summary_en


def test_only_staff_take_down_an_answer_and_only_by_phone_or_at_the_counter(sent, staff, technician):
    with pytest.raises(Forbidden):
        quotation_answer_record(quotation_id=sent.pk, answers={1: "accept"}, channel="phone", actor=technician,
                                now=THEN)
    with pytest.raises(Forbidden):
        quotation_answer_record(quotation_id=sent.pk, answers={1: "accept"}, channel="phone", actor=None, now=THEN)
    with pytest.raises(AppError) as err:
        quotation_answer_record(quotation_id=sent.pk, answers={1: "accept"}, channel="link", actor=staff, now=THEN)
    assert err.value.code == "unknown-channel"
    assert Case.objects.get(pk=sent.case_id).status == Status.AWAITING_CUSTOMER


def test_an_answer_is_taken_down_once(sent, staff):
    quotation_answer_record(quotation_id=sent.pk, answers={1: "accept"}, channel="phone", actor=staff, now=THEN)
    with pytest.raises(Conflict) as err:
        quotation_answer_record(quotation_id=sent.pk, answers={1: "decline"}, channel="phone", actor=staff, now=THEN)
    assert err.value.code == "already-answered"


def test_the_case_page_takes_down_an_answer_given_at_the_counter(sent, staff):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    url = reverse("console:case", kwargs={"number": sent.case.number})
    page = client.get(url).content.decode()
    assert "Record the customer&#x27;s answer" in page or "Record the customer's answer" in page
    answer_url = reverse("console:case-quotation-answer", kwargs={"number": sent.case.number, "pk": sent.pk})
    response = client.post(answer_url, {f"answer-{sent.pk}-line-1": "accept"})
    assert response.status_code == 422  # how the customer answered is required
    response = client.post(answer_url, {f"answer-{sent.pk}-line-1": "accept", f"answer-{sent.pk}-channel": "counter"})
    assert response.status_code == 302
    assert Case.objects.get(pk=sent.case_id).status == Status.REPAIRING

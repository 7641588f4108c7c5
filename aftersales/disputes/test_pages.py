"""The dispute pages: the customer's form (every problem at once, what was typed kept, hostile
input refused in plain words) and the executive-care console (queue, the dispute beside its
case's history, resolutions posted from the page)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from aftersales.core import clock
from aftersales.disputes.models import CasePriority, Dispute, State
from aftersales.disputes.services import Filing, dispute_file
from aftersales.notifications.models import Notification

FORM = {"customer_name": "Li Lei", "case_number": "NA-2011-0042", "serial": "HD000001", "country": "CN",
        "what_happened": "The fan was never fixed.", "email": "li.lei@example.com", "feedback": ""}


def portal(language: str = "en") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language)


def agent_client(agent) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(agent)
    return client


def test_a_customer_files_a_dispute_and_sees_its_number_and_due_day(centres):
    response = portal().post(reverse("portal:dispute"), FORM, follow=True)
    dispute = Dispute.objects.get()
    assert response.status_code == 200
    page = response.content.decode()
    assert dispute.display_number in page and "2025-06-08" in page
    assert Notification.objects.filter(key=f"{dispute.number}:acknowledged").exists()


def test_every_problem_is_listed_at_once_in_chinese_and_what_was_typed_is_kept(centres):
    typed = {**FORM, "customer_name": "", "serial": "序列号", "country": "ZZ", "email": "li.lei@",
             "what_happened": "风扇一直没修好。"}
    response = portal("zh-hans").post(reverse("portal:dispute"), typed)
    page = response.content.decode()
    assert response.status_code == 400 and not Dispute.objects.exists()
    for words in ("请填写维修单上的姓名", "序列号应为标签上印制的", "请选择您申请维修的国家或地区", "电子邮箱地址无效"):
        assert words in page
    assert "风扇一直没修好。" in page and 'value="li.lei@"' in page and 'value="NA-2011-0042"' in page


@pytest.mark.parametrize("field, value", [
    ("what_happened", "fan\x00broken"),
    ("case_number", "'; DROP TABLE disputes_dispute; --"),
    ("case_number", "R" + "0" * 5000),
    ("customer_name", "x" * 121),
    ("email", "a@b.c\r\nBcc: everyone@example.com"),
    ("country", "CN\x00"),
])
def test_hostile_input_is_refused_in_plain_words_and_keeps_nothing(centres, field, value):
    response = portal().post(reverse("portal:dispute"), {**FORM, field: value})
    page = response.content.decode()
    assert response.status_code == 400 and not Dispute.objects.exists()
    assert 'class="alert alert--error form-errors"' in page
    assert "Traceback" not in page and "invalid-" not in re.sub(r'data-code="[^"]*"', "", page)


def test_a_script_typed_into_the_story_is_shown_as_text_to_executive_care(centres, agent):
    dispute = dispute_file(filing=Filing(customer_name="<b>Li</b>", case_number="NA-2011-0042", serial="HD000001",
                                         country="CN", what_happened="<script>alert(1)</script>",
                                         email="li.lei@example.com"), actor=None, now=clock.now())
    page = agent_client(agent).get(reverse("console:dispute", args=[dispute.number])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_form_opened_from_a_case_page_starts_with_the_case(case):
    client = portal()
    client.post(reverse("portal:track"), {"number": case.number, "contact": case.email})
    page = client.get(reverse("portal:case", args=[case.number])).content.decode()
    assert f'{reverse("portal:dispute")}?case={case.number}' in page
    form = client.get(f'{reverse("portal:dispute")}?case={case.number}').content.decode()
    assert f'value="{case.display_number}"' in form and 'value="HD000001"' in form
    # and someone who has not opened the case gets an empty form
    assert case.display_number not in portal().get(f'{reverse("portal:dispute")}?case={case.number}').content.decode()


def test_executive_care_sees_the_queue_by_due_day_and_the_dispute_beside_its_case(case, damage, agent):
    dispute = dispute_file(filing=Filing(customer_name="Li Lei", case_number=case.number, serial="HD000001",
                                         country="CN", what_happened="Charged for damage I did not do.",
                                         email="li.lei@example.com"), actor=None, now=clock.now())
    client = agent_client(agent)
    queue = client.get(reverse("console:disputes")).content.decode()
    assert dispute.display_number in queue and "2025-06-08" in queue
    page = client.get(reverse("console:dispute", args=[dispute.number])).content.decode()
    # the case's timeline, damage decisions, evidence, charges and conversation are beside the dispute
    for section in ('id="timeline"', 'id="damage"', 'id="evidence"', 'id="charges"', 'id="conversation"'):
        assert section in page
    assert "Liquid marks under the keyboard." in page


def test_accelerating_from_the_page_marks_the_case_in_the_repair_queue(case, agent):
    dispute = dispute_file(filing=Filing(customer_name="Li Lei", case_number=case.number, serial="HD000001",
                                         country="CN", what_happened="Still waiting after a month.",
                                         email="li.lei@example.com"), actor=None, now=clock.now())
    client = agent_client(agent)
    response = client.post(reverse("console:dispute-resolve", args=[dispute.number, "accelerated-repair"]),
                           {"accelerated-repair-kind": "accelerated-repair", "accelerated-repair-key": "a" * 32,
                            "accelerated-repair-explanation": "We have moved your repair to the front."})
    assert response.status_code == 302 and CasePriority.objects.filter(case=case).exists()
    queue = client.get(reverse("console:cases")).content.decode()
    assert "data-priority" in queue
    dispute.refresh_from_db()
    assert dispute.state == State.IN_REVIEW


def test_a_refused_resolution_shows_the_page_again_with_the_reason(case, agent):
    dispute = dispute_file(filing=Filing(customer_name="Li Lei", case_number=case.number, serial="HD000001",
                                         country="CN", what_happened="Overcharged.", email="li.lei@example.com"),
                           actor=None, now=clock.now())
    response = agent_client(agent).post(
        reverse("console:dispute-resolve", args=[dispute.number, "reimbursement"]),
        {"reimbursement-kind": "reimbursement", "reimbursement-key": "b" * 32, "reimbursement-amount": "-5",
         "reimbursement-currency": "CNY", "reimbursement-explanation": "Sorry."})
    assert response.status_code == 422
    assert "cannot be negative" in response.content.decode() and not dispute.resolutions.exists()


def test_the_confirmation_page_shows_only_the_dispute_this_browser_filed(centres):
    portal().post(reverse("portal:dispute"), FORM)
    assert portal().get(reverse("portal:dispute-filed")).status_code == 404


def test_a_signed_in_customer_reaches_the_form_from_their_account_with_their_address_filled_in(centres):
    from aftersales.core.testing import role_user

    user = role_user("customer", username="wang")
    user.email = "wang@example.com"
    user.save()
    client = portal()
    client.force_login(user)
    account = client.get(reverse("portal:my-cases")).content.decode()
    assert f'href="{reverse("portal:dispute")}"' in account
    assert 'value="wang@example.com"' in client.get(reverse("portal:dispute")).content.decode()
    # and the dispute they file belongs to their account
    client.post(reverse("portal:dispute"), {**FORM, "email": "wang@example.com"})
    assert Dispute.objects.get().customer == user


def test_the_case_page_tells_staff_of_an_open_dispute_and_only_executive_care_gets_the_link(case, agent):
    from aftersales.console.conftest import signed_in

    dispute = dispute_file(filing=Filing(customer_name="Li Lei", case_number=case.number, serial="HD000001",
                                         country="CN", what_happened="Overcharged.", email="li.lei@example.com"),
                           actor=None, now=clock.now())
    link = f'href="{reverse("console:dispute", args=[dispute.number])}"'
    staff_page = signed_in("staff").get(reverse("console:case", args=[case.number])).content.decode()
    agent_page = agent_client(agent).get(reverse("console:case", args=[case.number])).content.decode()
    assert "executive care answers by 2025-06-08" in staff_page and link not in staff_page
    assert link in agent_page


OLDER_CASES = """case_number,region,centre,product_line,model,serial,manufactured_on,purchased_on,opened_on,closed_on,part,exclusions,quotation_rejected,currency
NA-2011-0042,CN,Shanghai,home-desktop,D500,HD000001,2010-01-10,2010-03-01,2011-06-01,2011-06-09,psu,,false,CNY
NA-2011-0043,CN,Shanghai,home-desktop,D500,HD000999,2010-01-10,2010-03-01,2011-06-01,2011-06-09,psu,,false,CNY
"""
OLDER_LINES = """case_number,line_no,service,part,labour_charged,parts_charged,currency
NA-2011-0042,1,part-replacement,psu,50.00,350.00,CNY
NA-2011-0042,2,deep-cleaning,,199.00,0.00,CNY
"""
OLDER_PAYMENTS = """case_number,paid_on,amount,currency,reference
NA-2011-0042,2011-06-09,599.00,CNY,P-1
"""


def older_history_imported(tmp_path) -> None:
    for name, text in (("cases", OLDER_CASES), ("lines", OLDER_LINES), ("payments", OLDER_PAYMENTS)):
        (tmp_path / f"{name}.csv").write_text(text)
    call_command("import-history", cases=str(tmp_path / "cases.csv"), lines=str(tmp_path / "lines.csv"),
                 payments=str(tmp_path / "payments.csv"), stdout=io.StringIO())


def test_a_dispute_about_an_older_case_shows_that_repair_once_its_history_is_imported(centres, agent, tmp_path):
    # given a dispute naming a case from 2011 that is not yet on record
    dispute = dispute_file(filing=Filing(customer_name="Li Lei", case_number="na-2011-0042", serial="hd000001",
                                         country="CN", what_happened="Charged twice.", email="li.lei@example.com"),
                           actor=None, now=clock.now())
    url = reverse("console:dispute", args=[dispute.number])
    assert "The older repair" not in agent_client(agent).get(url).content.decode()
    # when the history of that year is imported
    older_history_imported(tmp_path)
    # then the dispute's page shows what was charged line by line and what was paid
    page = agent_client(agent).get(url).content.decode()
    assert "The older repair, as recorded at the time" in page
    assert "part replacement" in page and "deep cleaning" in page
    assert re.search(r"data-charged>599.00 CNY<", page) and re.search(r"data-paid>599.00 CNY<", page)


def test_an_older_record_under_another_serial_is_not_shown_beside_the_dispute(centres, agent, tmp_path):
    # given the record of 2011-0043 is for another device than the one the customer names
    older_history_imported(tmp_path)
    dispute = dispute_file(filing=Filing(customer_name="Li Lei", case_number="NA-2011-0043", serial="HD000001",
                                         country="CN", what_happened="Charged twice.", email="li.lei@example.com"),
                           actor=None, now=clock.now())
    # then its page does not show another customer's repair
    page = agent_client(agent).get(reverse("console:dispute", args=[dispute.number])).content.decode()
    assert "The older repair" not in page and "HD000999" not in page

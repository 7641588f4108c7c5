"""The audit in the console: an auditor starts a run, follows it on a status line until it ends,
reads the findings by rule, and approves or rejects each; who may do what is read from
``roles.ACTIONS``."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from aftersales.accounts.roles import ACTIONS, ANONYMOUS
from aftersales.audit.conftest import history_case, paid_live_case
from aftersales.audit.models import AuditFinding, AuditRun, Review
from aftersales.audit.runs import audit_run_execute, audit_run_start
from aftersales.audit.tasks import audit_run
from aftersales.core import clock
from aftersales.core.testing import ROLE_NAMES, role_user
from aftersales.disputes.resolutions import resolution_reimburse
from aftersales.disputes.services import Filing, dispute_file
from aftersales.ledger.models import Purpose, Transfer

pytestmark = pytest.mark.django_db


def browser(user, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture
def found(history, auditor) -> AuditFinding:
    run = audit_run_start(actor=auditor, now=clock.now())
    audit_run_execute(run_id=run.pk, now=clock.now())
    return AuditFinding.objects.get()


def test_an_auditor_starts_a_run_and_follows_it_until_it_ends(history, auditor):
    client = browser(auditor)
    # when the auditor starts the audit
    response = client.post(reverse("console:audit-start"))
    assert response.status_code == 302
    run = AuditRun.objects.get()
    # then the page polls the run's status line while it waits
    page = client.get(reverse("console:audit")).content.decode()
    assert "Waiting for the audit to start." in page
    assert f'hx-get="{reverse("console:audit-run-status", args=[run.pk])}"' in page
    # and once the worker has run it, the line says what was found, and tells the page to stop polling
    audit_run.call(run.pk)
    status = client.get(reverse("console:audit-run-status", args=[run.pk]))
    assert status.status_code == 286
    text = status.content.decode()
    assert "Finished. Cases audited: 2; overcharges found: 1, of which new: 1." in text
    assert "Charged while under warranty" in text and "400.00 CNY" in text
    # and it names the policies it priced with by their published titles, never by their ids
    assert "Desktop and all-in-one warranty terms — Greater China (" in text and "cn-desktop@" not in text


def test_the_findings_are_listed_by_rule_and_filtered(found, auditor):
    client = browser(auditor)
    listed = client.get(reverse("console:audit"), {"rule": "charged-under-warranty"}).content.decode()
    assert reverse("console:audit-finding", args=[found.pk]) in listed and "400.00 CNY" in listed
    other = client.get(reverse("console:audit"), {"rule": "parts-above-list"}).content.decode()
    assert reverse("console:audit-finding", args=[found.pk]) not in other and "No findings here." in other


def test_the_finding_page_shows_its_evidence_as_the_clauses_and_their_published_source(found, auditor):
    page = browser(auditor, "zh-hans").get(reverse("console:audit-finding", args=[found.pk])).content.decode()
    assert "保修期内收费" in page and "2023-02-28" in page
    assert "华硕家用台式电脑保修条例" in page  # the warranty clause cites the published terms
    assert "charged-under-warranty" not in page


def test_approving_in_the_console_pays_once_and_shows_the_letter(found, auditor):
    client = browser(auditor)
    url = reverse("console:audit-finding-approve", args=[found.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # sent twice
    assert Transfer.objects.filter(debit__purpose=Purpose.COMPENSATION).count() == 1
    page = client.get(reverse("console:audit-finding", args=[found.pk])).content.decode()
    assert "Approved and paid" in page and "send the letter by post" in page and "维修单 H1 多收了您的费用" in page


def test_rejecting_without_a_reason_is_refused_with_the_reason_to_give(found, auditor):
    client = browser(auditor)
    response = client.post(reverse("console:audit-finding-reject", args=[found.pk]), {"reason": ""})
    assert response.status_code == 422 and "Say why this is not an overcharge." in response.content.decode()
    assert AuditFinding.objects.get().review == Review.OPEN


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_opens_and_posts_exactly_what_its_actions_allow(found, role):
    user = role_user(role, username=f"someone-{role}")
    client = Client()
    if user is not None:
        client.force_login(user)
    run = AuditRun.objects.get()
    tries = [("get", reverse("console:audit"), "audit.run"),
             ("get", reverse("console:audit-run-status", args=[run.pk]), "audit.run"),
             ("get", reverse("console:audit-finding", args=[found.pk]), "audit.run"),
             ("post", reverse("console:audit-finding-reject", args=[found.pk]), "audit.review"),
             ("post", reverse("console:audit-start"), "audit.run")]
    for method, url, action in tries:
        response = getattr(client, method)(url)
        if role in ACTIONS[action]:
            assert response.status_code in (200, 286, 302, 422), (role, url, response.status_code)
        elif role == ANONYMOUS:
            assert response.status_code == 302 and response["Location"].startswith("/console/login/"), (role, url)
        else:
            assert response.status_code == 403, (role, url, response.status_code)
    assert AuditFinding.objects.get().review == Review.OPEN


def test_the_finding_page_tells_what_executive_care_already_paid_back_on_the_case(centres, auditor):
    # given a live case overcharged 51.00 on its deep cleaning, which executive care already
    # reimbursed after the customer's dispute
    call_command("load-sla-policies", stdout=io.StringIO())
    case = paid_live_case(serial="HD000001", labour="250.00")
    dispute = dispute_file(filing=Filing(customer_name="Li Lei", case_number=case.number, serial="HD000001",
                                         country="CN", what_happened="Charged more than the price list.",
                                         email="li.lei@example.com", language="en"), actor=None, now=clock.now())
    resolution_reimburse(number=dispute.number, amount="51.00", currency="CNY", explanation="Overcharged.",
                         key="reimburse-0001", actor=role_user("exec-care", username="agent"), now=clock.now())
    run = audit_run_start(actor=auditor, now=clock.now())
    audit_run_execute(run_id=run.pk, now=clock.now())
    # when the auditor opens the finding
    page = browser(auditor).get(reverse("console:audit-finding", args=[AuditFinding.objects.get().pk]))
    # then the page says what was already paid back, and after which dispute
    assert f"51.00 CNY paid back on 2025-06-01 after dispute {dispute.display_number}." in page.content.decode()


def test_the_finding_page_says_when_the_audit_found_it_in_words_of_its_own(found, auditor):
    page = browser(auditor, "zh-hans").get(reverse("console:audit-finding", args=[found.pk])).content.decode()
    # the day the run found it, not the "inspection results" of a repair's diagnosis
    assert "<dt>审计发现于</dt>" in page and "检测结果" not in page


def test_the_finding_page_names_the_policy_by_its_title_and_date_and_counts_the_payments_in_words(history, auditor):
    # given a deep cleaning charged 199.00 and paid 250.00, beside the history's covered power supply
    history_case("H3", lines=[("deep-cleaning", "", "199.00", "0.00")], paid="250.00")
    run = audit_run_start(actor=auditor, now=clock.now())
    audit_run_execute(run_id=run.pk, now=clock.now())
    under_warranty = AuditFinding.objects.get(case_number="H1")
    paid_more = AuditFinding.objects.get(case_number="H3")
    # then the policy is named as the run's line names it, by its title and published date
    page = browser(auditor).get(reverse("console:audit-finding", args=[under_warranty.pk])).content.decode()
    assert "Desktop and all-in-one warranty terms — Greater China (2026-11-30)" in page and "2026.11.30" not in page
    # and the payments behind money paid above the charges are counted in words, in each language
    for language, words in (("en", "1 payment received"), ("zh-hans", "已收到 1 笔付款")):
        page = browser(auditor, language).get(reverse("console:audit-finding", args=[paid_more.pk])).content.decode()
        assert words in page


def test_the_finding_page_shows_the_repair_of_past_years_as_the_audit_re_priced_it(found, auditor):
    # given H1's covered power supply (a home desktop D500, made 2020-01-10, bought 2020-03-01,
    # opened 2021-06-01, paid 400.00) found charged under warranty
    english = browser(auditor).get(reverse("console:audit-finding", args=[found.pk])).content.decode()
    chinese = browser(auditor, "zh-hans").get(reverse("console:audit-finding", args=[found.pk])).content.decode()
    for what, words in (("Made on", "2020-01-10"), ("Bought on", "2020-03-01"), ("Opened on", "2021-06-01"),
                        ("Model", "D500"), ("Serial number", "S-H1"), ("Found at inspection", "none"),
                        ("Quotation", "Accepted"), ("Paid", "400.00 CNY")):
        assert f"<dt>{what}</dt><dd>{words}</dd>" in english
    assert "<dt>购买日期</dt><dd>2020-03-01</dd>" in chinese and "<dt>检测发现</dt><dd>无</dd>" in chinese
    assert "home-desktop" not in english and ">psu<" not in english


def test_the_finding_page_says_what_approving_pays_back_on_a_partly_paid_case(history, auditor):
    # given a covered power supply charged 400.00 of which the customer paid 100.00
    history_case("N2", lines=[("part-replacement", "psu", "50.00", "350.00")], paid="100.00")
    run = audit_run_start(actor=auditor, now=clock.now())
    audit_run_execute(run_id=run.pk, now=clock.now())
    finding = AuditFinding.objects.get(case_number="N2")
    # then the auditor reads what approving pays back: what was paid above the right amount
    page = browser(auditor).get(reverse("console:audit-finding", args=[finding.pk])).content.decode()
    assert "approving pays back 100.00 CNY, what they paid above the right amount" in page
    page = browser(auditor, "zh-hans").get(reverse("console:audit-finding", args=[finding.pk])).content.decode()
    assert "将通过账簿向客户退还 100.00 CNY，即客户比正确金额多付的部分" in page


def test_rejecting_a_finding_another_auditor_just_approved_says_why_nothing_changed(found, auditor):
    # given the rejecting auditor's page was opened while the finding was still open
    client = browser(auditor)
    browser(role_user("auditor", username="colleague")).post(reverse("console:audit-finding-approve",
                                                                     args=[found.pk]))
    # when they reject it
    response = client.post(reverse("console:audit-finding-reject", args=[found.pk]), {"reason": "Invoice void."})
    # then the page tells them it was approved and paid meanwhile, and it stays so
    assert response.status_code == 409
    assert "This finding was approved and paid; it cannot be rejected now." in response.content.decode()
    assert AuditFinding.objects.get().review == Review.APPROVED


"""Approving a finding pays the customer back once through the ledger, with a credit note where
the case has an invoice and a plain letter in the customer's language; rejecting one needs a
reason and pays nothing. Paid live cases are audited beside the history."""

from decimal import Decimal

import pytest

from aftersales.audit.compensation import finding_approve, finding_reject
from aftersales.audit.conftest import history_case, paid_live_case
from aftersales.audit.models import AuditFinding, Review
from aftersales.audit.runs import audit_run_execute, audit_run_start
from aftersales.core import clock
from aftersales.core.errors import AppError, Conflict, Forbidden
from aftersales.core.testing import role_user
from aftersales.invoicing.models import CreditNote
from aftersales.ledger.models import Purpose, Transfer
from aftersales.ledger.selectors import balance
from aftersales.ledger.services import account_for
from aftersales.notifications.models import Notification

pytestmark = pytest.mark.django_db


def audit(actor) -> None:
    run = audit_run_start(actor=actor, now=clock.now())
    audit_run_execute(run_id=run.pk, now=clock.now())


def compensation_paid(currency="CNY") -> Decimal:
    return balance(account_for(Purpose.REFUNDS_PAYABLE, currency)).credits_posted


def test_approving_a_finding_twice_and_again_after_a_re_run_pays_the_customer_once(history, auditor):
    # given the audit found H1's covered power supply charged 400.00
    audit(auditor)
    finding = AuditFinding.objects.get(case_number="H1")
    # when an auditor approves it, approves it again, the audit runs again and it is approved once more
    finding_approve(finding_id=finding.pk, actor=auditor, now=clock.now())
    finding_approve(finding_id=finding.pk, actor=auditor, now=clock.now())
    audit(auditor)
    again = AuditFinding.objects.get(case_number="H1")
    finding_approve(finding_id=again.pk, actor=role_user("auditor", username="second"), now=clock.now())
    # then 400.00 moved once from compensation expense to refunds payable, under the finding's key
    transfer = Transfer.objects.get()
    assert (transfer.debit.purpose, transfer.credit.purpose, transfer.amount, transfer.currency, transfer.reference) == (
        Purpose.COMPENSATION, Purpose.REFUNDS_PAYABLE, Decimal("400.00"), "CNY", "H1")
    assert transfer.key == "audit:history:H1:1:charged-under-warranty"
    assert compensation_paid() == Decimal("400.00")
    assert again.pk == finding.pk and AuditFinding.objects.get().review == Review.APPROVED


def test_a_case_of_past_years_gets_its_letter_in_the_language_of_its_region_kept_for_the_post(history, auditor):
    audit(auditor)
    finding = finding_approve(finding_id=AuditFinding.objects.get().pk, actor=auditor, now=clock.now())
    # then no message was sent (no contact is on file) and the letter, in Chinese for mainland China, says
    # what was overcharged, how much and how it is paid back
    assert not Notification.objects.exists() and not finding.letter_sent
    assert finding.letter_language == "zh-hans"
    assert finding.letter_subject == "维修单 H1 多收了您的费用，我们将退还 400.00 元"
    assert "这次维修在保修范围内，本应免费" in finding.letter_text
    assert "当时向您收取 400.00 元，正确的金额应为 0.00 元" in finding.letter_text
    assert "按您原来的付款方式返回" in finding.letter_text


def test_a_rejected_finding_keeps_its_reason_and_is_never_paid(history, auditor):
    audit(auditor)
    finding = AuditFinding.objects.get()
    with pytest.raises(AppError) as missing:
        finding_reject(finding_id=finding.pk, reason="  ", actor=auditor, now=clock.now())
    assert missing.value.code == "missing-field"
    finding_reject(finding_id=finding.pk, reason="The customer's invoice was void.", actor=auditor, now=clock.now())
    with pytest.raises(Conflict) as refused:
        finding_approve(finding_id=finding.pk, actor=auditor, now=clock.now())
    assert refused.value.code == "finding-rejected"
    finding.refresh_from_db()
    assert (finding.review, finding.reason) == (Review.REJECTED, "The customer's invoice was void.")
    assert not Transfer.objects.filter(debit__purpose=Purpose.COMPENSATION).exists()


def test_an_approved_finding_cannot_be_rejected(history, auditor):
    audit(auditor)
    finding = finding_approve(finding_id=AuditFinding.objects.get().pk, actor=auditor, now=clock.now())
    with pytest.raises(Conflict):
        finding_reject(finding_id=finding.pk, reason="Changed my mind", actor=auditor, now=clock.now())


@pytest.mark.parametrize("role", ["staff", "exec-care", "verifier", "admin"])
def test_only_an_auditor_may_approve_compensation(history, auditor, role):
    audit(auditor)
    with pytest.raises(Forbidden):
        finding_approve(finding_id=AuditFinding.objects.get().pk, actor=role_user(role), now=clock.now())
    assert compensation_paid() == Decimal("0.00")


def test_a_paid_live_case_charged_above_the_schedule_is_found_and_paid_back_with_a_credit_note_and_a_letter(
        centres, auditor):
    # given two paid cases of this system: a deep cleaning charged 250.00 (published fee 199.00)
    # for a customer who reads Chinese, and one charged the published fee
    over = paid_live_case(serial="HD000001", labour="250.00", language="zh-hans")
    paid_live_case(serial="AI000001", labour="199.00")
    # when the audit runs
    audit(auditor)
    # then only the first is found, on its quotation line, with the schedule's fee as what was due
    finding = AuditFinding.objects.get()
    assert (finding.source, finding.case_number, finding.line_no, finding.rule) == (
        "live", over.number, 1, "labour-above-schedule")
    assert (finding.charged, finding.due, finding.overcharge) == (Decimal("250.00"), Decimal("199.00"),
                                                                  Decimal("51.00"))
    # and approving it pays 51.00 back, credits it on the invoice and writes to the customer in Chinese
    finding = finding_approve(finding_id=finding.pk, actor=auditor, now=clock.now())
    assert compensation_paid() == Decimal("51.00")
    note = CreditNote.objects.get()
    assert (note.total, note.case_id, finding.credit_notes) == (Decimal("51.00"), over.pk, [note.number])
    letter = Notification.objects.get(template="overcharge-letter")
    assert (letter.recipient, letter.language, letter.case_id) == ("li.lei@example.com", "zh-hans", over.pk)
    assert "我们收取的工时费高于公布的收费标准" in letter.body_text and "51.00 元" in letter.subject
    assert finding.letter_sent and finding.letter_text == letter.body_text


def test_the_letter_names_the_published_terms_it_rests_on_never_our_codes(centres, history, auditor):
    # given H1's covered power supply charged 400.00, and a live case's deep cleaning charged 250.00
    # for a customer who reads English
    paid_live_case(serial="HD000001", labour="250.00")
    audit(auditor)
    # when both are approved
    old = finding_approve(finding_id=AuditFinding.objects.get(case_number="H1").pk, actor=auditor, now=clock.now())
    live = finding_approve(finding_id=AuditFinding.objects.get(source="live").pk, actor=auditor, now=clock.now())
    # then the Chinese letter cites the warranty terms that covered the part, by title, date and section
    assert "台式机&一体机保修政策（2024-01-15），华硕家用台式电脑保修条例 保修期限 1–5" in old.letter_text
    assert "差额 400.00 元属于您" in old.letter_text
    # and the English one the fee schedule that sets the labour
    assert ("ASUS desktop and all-in-one warranty policy (2024-01-15), Paid-service fee schedules for desktops, "
            "all-in-ones and Mini PCs; §5 (4); §9 Out-of-warranty service") in live.letter_text
    for text in (old.letter_text, live.letter_text):
        assert not any(code in text for code in ("home-periods", "fees", "cn-desktop", "@", "labour-above"))


@pytest.mark.parametrize("region, currency, paid_words", [
    ("US", "USD", "You paid USD 300.00; the repair cost USD 199.00."),
    ("CN", "CNY", "您当时支付了 300.00 元，而维修费用为 199.00 元。"),
])
def test_a_letter_for_money_paid_above_the_charges_says_what_was_paid_not_what_was_charged(
        registry, auditor, region, currency, paid_words):
    # given a repair of past years charged 199.00 for a deep cleaning, on which the customer paid 300.00
    history_case("P1", region=region, currency=currency, lines=[("deep-cleaning", "", "199.00", "0.00")],
                 paid="300.00")
    audit(auditor)
    finding = AuditFinding.objects.get(rule="paid-more-than-charged")
    # when it is approved
    finding = finding_approve(finding_id=finding.pk, actor=auditor, now=clock.now())
    # then the letter says what the customer paid and what the repair cost
    assert paid_words in finding.letter_text
    assert "You were charged" not in finding.letter_text and "当时向您收取" not in finding.letter_text


def test_a_repair_charged_but_never_paid_is_not_audited(history, auditor):
    # given a covered power supply charged 400.00 on a repair of past years the customer never paid
    history_case("N1", lines=[("part-replacement", "psu", "50.00", "350.00")])
    # when the audit runs, then it finds nothing there: the money was never the customer's
    audit(auditor)
    assert not AuditFinding.objects.filter(case_number="N1").exists()


def test_a_customer_who_paid_part_of_an_overcharged_bill_gets_back_what_they_paid_above_the_right_amount(
        history, auditor):
    # given a covered power supply charged 400.00 (nothing was due) of which the customer paid 100.00
    history_case("N2", lines=[("part-replacement", "psu", "50.00", "350.00")], paid="100.00")
    audit(auditor)
    finding = AuditFinding.objects.get(case_number="N2")
    assert (finding.rule, finding.overcharge) == ("charged-under-warranty", Decimal("400.00"))
    # when an auditor approves it
    finding = finding_approve(finding_id=finding.pk, actor=auditor, now=clock.now())
    # then the 100.00 they paid is paid back, not the 400.00 they were charged, and the letter says so
    assert finding.paid_back == Decimal("100.00") and compensation_paid() == Decimal("100.00")
    assert "当时向您收取 400.00 元，正确的金额应为 0.00 元。这笔费用您支付了 100.00 元，比正确金额多付了 100.00 元。" \
        "这 100.00 元属于您，我们将全额退还" in finding.letter_text
    assert finding.letter_subject.endswith("我们将退还 100.00 元")
    # and approving again pays nothing more
    finding_approve(finding_id=finding.pk, actor=auditor, now=clock.now())
    assert compensation_paid() == Decimal("100.00")


def test_a_customer_who_paid_less_than_the_right_amount_is_owed_nothing(history, auditor):
    # given a deep cleaning charged 250.00 (199.00 due: 51.00 too much) of which 100.00 was paid
    history_case("N3", lines=[("deep-cleaning", "", "250.00", "0.00")], paid="100.00")
    audit(auditor)
    finding = AuditFinding.objects.get(case_number="N3")
    assert (finding.rule, finding.overcharge) == ("labour-above-schedule", Decimal("51.00"))
    # when an auditor approves it, then nothing is paid, and the auditor is told why
    with pytest.raises(Conflict) as refused:
        finding_approve(finding_id=finding.pk, actor=auditor, now=clock.now())
    assert refused.value.code == "nothing-to-pay-back"
    assert "the customer paid 100.00 CNY, the right amount was 199.00 CNY" in refused.value.en
    assert "客户支付了 100.00 CNY，正确金额为 199.00 CNY" in refused.value.zh
    assert compensation_paid() == Decimal("0.00")
    assert AuditFinding.objects.get(pk=finding.pk).review == Review.OPEN


def test_every_finding_of_a_case_is_paid_back_up_to_what_the_customer_paid(history, auditor):
    # given a covered power supply charged 400.00 on which the customer paid 600.00
    history_case("M1", lines=[("part-replacement", "psu", "50.00", "350.00")], paid="600.00")
    audit(auditor)
    found = {f.rule: f for f in AuditFinding.objects.filter(case_number="M1")}
    assert (found["charged-under-warranty"].overcharge, found["paid-more-than-charged"].overcharge) == (
        Decimal("400.00"), Decimal("200.00"))
    # when both are approved, the customer gets all 600.00 back
    for f in found.values():
        finding_approve(finding_id=f.pk, actor=auditor, now=clock.now())
    assert compensation_paid() == Decimal("600.00")

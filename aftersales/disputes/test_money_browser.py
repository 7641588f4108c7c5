"""Money a dispute gives back, in a real browser, in English and in Chinese: a customer who paid
for a repair files a dispute about the bill on the portal; an executive-care agent reimburses
part of it from the console, once however often the form is sent, with a credit note on the
case's invoice, balanced books and a letter in the customer's language. A damage decision is
looked at again: its decider is refused, a colleague reverses it, both decisions stay on the
case's page, and the charges for the damage are refunded."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings

from aftersales.billing.charges import Leg, charge_due
from aftersales.billing.models import ChargeKind
from aftersales.console.test_case_browser import sign_in
from aftersales.core import clock
from aftersales.core.testing import role_user
from aftersales.disputes.models import DamageReview, Resolution
from aftersales.disputes.services import Filing, dispute_file
from aftersales.invoicing.models import CreditNote, Invoice
from aftersales.ledger.models import Account, Purpose, Transfer
from aftersales.ledger.selectors import balance
from aftersales.notifications.models import Notification
from aftersales.repairs.diagnosis import damage_decide, damage_propose
from aftersales.repairs.models import DamageStatus
from aftersales.repairs.payments import payment_take
from aftersales.repairs.testing import staff_member

pytestmark = pytest.mark.browser

WORDS = {
    "en": {"send": "Send to executive care", "filed": "We have your dispute", "subject": "Our answer to your dispute",
           "story": "I was charged twice for the fan.", "refund": "We are paying you back"},
    "zh-hans": {"send": "提交给高级客户关怀团队", "filed": "我们已收到您的争议", "subject": "关于您的争议",
                "story": "风扇的费用被收了两次。", "refund": "我们将退还"},
}


def paid(case, charges: dict[str, str]) -> Invoice:
    """``charges`` (kind -> amount in CNY) fall due on the case and the customer pays them all at
    the counter, which issues the invoice."""
    for kind, amount in charges.items():
        charge_due(case=case, kind=kind, currency="CNY", now=clock.now(), text_en=f"{kind} work", text_zh="维修",
                   legs=[Leg(f"test:{kind}:{case.number}", Purpose.REVENUE_LABOUR, Decimal(amount))])
    total = sum(Decimal(a) for a in charges.values())
    payment_take(number=case.number, amount=str(total), currency="CNY", method="card", key="counter-1",
                 actor=staff_member("cashier"), now=clock.now())
    return Invoice.objects.get(case=case)


def books_balance(currency: str) -> bool:
    """Every account's balance read from the ledger: debits posted equal credits posted."""
    figures = [balance(account) for account in Account.objects.filter(currency=currency)]
    return sum(b.debits_posted for b in figures) == sum(b.credits_posted for b in figures) > 0


def held(purpose: str) -> Decimal:
    return balance(Account.objects.get(purpose=purpose, currency="CNY")).credit_posted_net


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_customer_disputes_a_paid_bill_and_executive_care_pays_back_part_of_it_once(live_server, case, page,
                                                                                      language):
    words = WORDS[language]
    role_user("exec-care", username="care")
    invoice = paid(case, {ChargeKind.REPAIR: "450.00"})
    # given the customer on the dispute form, in their language
    page.goto(f"{live_server.url}/dispute/")
    if language != "en":
        page.get_by_role("button", name="简体中文").click()
        page.wait_for_url(f"{live_server.url}/dispute/")
    # when they file a dispute about the bill for their paid repair
    page.locator("#id_customer_name").fill("Li Lei")
    page.locator("#id_case_number").fill(case.display_number)
    page.locator("#id_serial").fill("HD000001")
    page.locator("#id_country").select_option("CN")
    page.locator("#id_what_happened").fill(words["story"])
    page.locator("#id_email").fill("li.lei@example.com")
    page.get_by_role("button", name=words["send"]).click()
    page.get_by_role("heading", name=words["filed"]).wait_for()
    dispute = case.disputes.get()
    # and an agent opens it from the queue and reimburses 120.00 CNY, clicking twice
    agent = page.context.browser.new_context().new_page()
    sign_in(agent, live_server.url, "care")
    agent.goto(f"{live_server.url}/console/disputes/")
    agent.get_by_role("link", name=dispute.display_number).click()
    form = agent.locator("#resolve-reimbursement")
    form.locator("summary").click()
    form.locator("#id_reimbursement-amount").fill("120.00")
    form.locator("#id_reimbursement-currency").select_option("CNY")
    form.locator("#id_reimbursement-explanation").fill("The fan was on the bill twice.")
    sent = {name: form.locator(f"[name='{name}']").input_value()
            for name in ("csrfmiddlewaretoken", "reimbursement-kind", "reimbursement-key", "reimbursement-amount",
                         "reimbursement-currency", "reimbursement-explanation")}
    action = form.locator("form").get_attribute("action")
    form.get_by_role("button").dblclick()
    agent.locator('.resolution[data-kind="reimbursement"]').wait_for()
    # and the browser sends the same form again (a reload that resends it)
    again = agent.request.post(f"{live_server.url}{action}", form=sent,
                               headers={"Referer": f"{live_server.url}{action}"})
    assert again.ok
    # then one movement: one resolution, one transfer, one credit note on the case's invoice
    assert Resolution.objects.filter(dispute=dispute).count() == 1
    assert Transfer.objects.filter(debit__purpose=Purpose.COMPENSATION).count() == 1
    note = CreditNote.objects.get()
    assert (note.invoice_id, note.total, note.currency) == (invoice.pk, Decimal("120.00"), "CNY")
    # and the books balance, with the 120.00 owed back to the customer
    assert books_balance("CNY")
    assert held(Purpose.REFUNDS_PAYABLE) == Decimal("120.00")
    # and the customer's letter is in their language, and the dispute page shows the resolution
    letter = Notification.objects.get(template="dispute-letter")
    assert letter.language == language and letter.subject.startswith(words["subject"])
    assert words["refund"] in letter.body_text and "120.00" in letter.body_text
    agent.reload()
    shown = agent.locator('.resolution[data-kind="reimbursement"]')
    assert shown.count() == 1 and "120.00 CNY" in shown.locator("h3").inner_text()
    agent.context.close()


REFUSED = {"en": "You made this damage decision; another member of staff must look at it again.",
           "zh-hans": "这项损坏认定是您作出的；须由另一位员工复核。"}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_damage_decision_is_reversed_by_a_colleague_not_its_decider_and_the_charges_are_refunded(
        live_server, case, page, language):
    # given liquid damage confirmed by agent A, and the repair and inspection it cost paid
    decider = role_user("exec-care", username="wang.fang")
    role_user("exec-care", username="zhao.lei")
    proposal = damage_propose(number=case.number, code="liquid-damage", part="mainboard",
                              explanation="Corrosion on the mainboard.", actor=staff_member("tech"), now=clock.now())
    damage_decide(determination_id=proposal.pk, confirm=True, note="Liquid marks under the keyboard.", considered=[],
                  actor=decider, now=clock.now())
    invoice = paid(case, {ChargeKind.REPAIR: "450.00", ChargeKind.INSPECTION: "100.00"})
    dispute = dispute_file(filing=Filing(customer_name="Li Lei", case_number=case.number, serial="HD000001",
                                         country="CN", what_happened="I never spilled anything.",
                                         email="li.lei@example.com", language=language), actor=None, now=clock.now())
    address = f"{live_server.url}/console/disputes/{dispute.number}/"
    # when A opens the dispute, the page does not offer A's own decision for a second look
    sign_in(page, live_server.url, "wang.fang")
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page.goto(address)
    review = page.locator("#resolve-damage-review")
    review.locator("summary").click()
    assert review.locator("input[name='damage-review-determination']").count() == 0
    assert REFUSED[language] in review.inner_text()
    # and when A sends the second look anyway (a form kept from before), it is refused in plain words
    sent = {"csrfmiddlewaretoken": review.locator("[name='csrfmiddlewaretoken']").input_value(),
            "damage-review-kind": "damage-review", "damage-review-key": "kept-form-of-wang-fang",
            "damage-review-determination": str(proposal.pk), "damage-review-verdict": "reverse",
            "damage-review-explanation": "I was wrong."}
    refused = page.request.post(f"{address}resolutions/damage-review/", form=sent, headers={"Referer": address})
    assert refused.status == 403 and REFUSED[language] in refused.text()
    assert not DamageReview.objects.exists() and not Transfer.objects.filter(debit__purpose=Purpose.COMPENSATION)
    # when B opens it and reverses the decision
    colleague = page.context.browser.new_context().new_page()
    sign_in(colleague, live_server.url, "zhao.lei")
    colleague.goto(address)
    review = colleague.locator("#resolve-damage-review")
    review.locator("summary").click()
    review.locator("input[name='damage-review-determination']").check()
    review.locator("input[name='damage-review-verdict'][value='reverse']").check()
    review.locator("#id_damage-review-explanation").fill("The marks are thermal paste from the factory.")
    review.get_by_role("button").click()
    colleague.locator('.resolution[data-kind="damage-review"]').wait_for()
    # then the case's page shows both decisions: A's confirmation, reversed, and B's rejection
    colleague.goto(f"{live_server.url}/console/cases/{case.number}/")
    row = colleague.locator(f"#damage-{proposal.pk}")
    assert "zhao.lei" in row.locator("dl.kv").first.inner_text() and "Rejected" in row.locator("h3").inner_text()
    earlier = row.locator("[data-decision='reversed']")
    assert "wang.fang" in earlier.inner_text() and "Liquid marks under the keyboard." in earlier.inner_text()
    proposal.refresh_from_db()
    assert proposal.status == DamageStatus.REJECTED and DamageReview.objects.get().original_decided_by == decider
    # and both charges are refunded once, on a credit note of the case's invoice, the books balanced
    assert sorted(Transfer.objects.filter(debit__purpose=Purpose.COMPENSATION).values_list("amount", flat=True)) \
        == [Decimal("100.00"), Decimal("450.00")]
    note = CreditNote.objects.get()
    assert (note.invoice_id, note.total) == (invoice.pk, Decimal("550.00"))
    assert books_balance("CNY") and held(Purpose.REFUNDS_PAYABLE) == Decimal("550.00")
    colleague.context.close()

"""Resolutions: each does what it says, tells the customer in a plain letter in their language,
and a dispute can end with several."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.billing.models import Charge, ChargeKind
from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.disputes.models import CasePriority, DamageReview, State
from aftersales.disputes.resolutions import (resolution_accelerate, resolution_damage_review, resolution_explain,
                                             resolution_reimburse)
from aftersales.disputes.services import Filing, dispute_file, dispute_resolve
from aftersales.ledger.models import Account, Purpose, Transfer
from aftersales.repairs.models import CaseEvent, DamageStatus, EventKind
from aftersales.repairs.testing import staff_member


def filed(case, *, language: str = "en"):
    return dispute_file(filing=Filing(customer_name="Li Lei", case_number=case.number if case else "NA-2011-0042",
                                      serial="HD000001", country="CN", what_happened="Charged for damage I did not do.",
                                      email="li.lei@example.com", language=language), actor=None, now=clock.now())


def charge(case, amount: str, kind: str = ChargeKind.REPAIR):
    return Charge.objects.create(case=case, kind=kind, amount=Decimal(amount), currency="CNY", text_en="Repair",
                                 text_zh="维修", created_at=clock.now())


def balance(purpose: str) -> Decimal:
    account = Account.objects.filter(purpose=purpose, currency="CNY").first()
    return account.credits_posted - account.debits_posted if account else Decimal("0.00")


def test_troubleshooting_sends_the_steps_in_the_customers_language(case, agent):
    dispute = filed(case, language="zh-hans")
    # when an agent answers with troubleshooting steps
    resolution = resolution_explain(number=dispute.number, kind="troubleshooting", key="key-troubleshoot",
                                    explanation="1. 拔下电源适配器。2. 按住电源键 30 秒。", actor=agent, now=clock.now())
    # then the customer's letter is in Chinese, with the steps, and the dispute is in review
    assert "请按以下步骤操作" in resolution.letter_text and "按住电源键 30 秒" in resolution.letter_text
    assert resolution.letter_subject == f"关于您的争议 {dispute.display_number} 的答复"
    dispute.refresh_from_db()
    assert dispute.state == State.IN_REVIEW


def test_an_accelerated_repair_gives_the_open_case_priority_once(case, agent):
    dispute = filed(case)
    # when the repair is accelerated, and the form is sent twice
    first = resolution_accelerate(number=dispute.number, explanation="We have moved your repair up.",
                                  key="key-accelerate", actor=agent, now=clock.now())
    again = resolution_accelerate(number=dispute.number, explanation="We have moved your repair up.",
                                  key="key-accelerate", actor=agent, now=clock.now())
    # then the case has priority, one resolution is recorded, and the customer is told in plain words
    assert first == again and dispute.resolutions.count() == 1
    assert CasePriority.objects.get(case=case).granted_by == agent
    assert "Your repair now has priority" in first.letter_text


def test_a_reimbursement_moves_money_through_the_ledger_once_and_never_more_than_was_charged(case, agent):
    dispute = filed(case)
    charge(case, "300.00")
    # when more than was charged is asked for, it is refused and nothing moves
    with pytest.raises(AppError) as refused:
        resolution_reimburse(number=dispute.number, amount="300.01", currency="CNY", key="key-reimburse",
                             explanation="The fan was quoted twice.", actor=agent, now=clock.now())
    assert refused.value.code == "more-than-charged" and not Transfer.objects.exists()
    # when 120.00 is reimbursed, and the form is sent again
    for _ in range(2):
        resolution = resolution_reimburse(number=dispute.number, amount="120.00", currency="CNY", key="key-reimburse",
                                          explanation="The fan was quoted twice.", actor=agent, now=clock.now())
    # then one transfer of 120.00 is owed to the customer, and the letter says how much
    assert Transfer.objects.count() == 1 and balance(Purpose.REFUNDS_PAYABLE) == Decimal("120.00")
    assert balance(Purpose.COMPENSATION) == Decimal("-120.00")
    assert resolution.amount == Decimal("120.00") and "CNY 120.00" in resolution.letter_text


def test_the_staff_member_who_made_a_damage_decision_cannot_review_it(case, damage):
    # given the member of staff who confirmed the damage is also an executive-care agent
    from django.contrib.auth.models import Group

    from aftersales.accounts.models import User

    decider = User.objects.get(pk=damage.decided_by_id)
    decider.groups.add(Group.objects.get(name="exec-care"))
    dispute = filed(case)
    # when they try to look at it again, they are refused and nothing changes
    with pytest.raises(AppError) as refused:
        resolution_damage_review(number=dispute.number, determination=damage.pk, reverse=True, note="Fine after all.",
                                 considered=[], key="key-review", actor=decider, now=clock.now())
    assert refused.value.code == "same-decider" and refused.value.status == 403
    damage.refresh_from_db()
    assert damage.status == DamageStatus.CONFIRMED and not DamageReview.objects.exists()


def test_staff_outside_executive_care_cannot_review_a_damage_decision(case, damage):
    dispute = filed(case)
    with pytest.raises(AppError) as refused:
        resolution_damage_review(number=dispute.number, determination=damage.pk, reverse=True, note="Fine.",
                                 considered=[], key="key-review", actor=staff_member("other-staff"), now=clock.now())
    assert refused.value.code == "forbidden"


def test_a_reversed_damage_decision_makes_the_repair_free_refunds_its_charges_and_keeps_both_decisions(
        case, damage, agent):
    dispute = filed(case)
    charge(case, "450.00")
    charge(case, "100.00", ChargeKind.INSPECTION)
    charge(case, "20.00", ChargeKind.STORAGE)
    # when a second member of staff reverses the decision
    resolution = resolution_damage_review(number=dispute.number, determination=damage.pk, reverse=True,
                                          note="The marks are from the factory's thermal paste, not liquid.",
                                          considered=[], key="key-review", actor=agent, now=clock.now())
    # then the determination is rejected by the reviewer, and the original decision is kept beside it
    damage.refresh_from_db()
    review = DamageReview.objects.get()
    assert (damage.status, damage.decided_by) == (DamageStatus.REJECTED, agent)
    assert (review.original_status, review.original_decided_by.username) == ("confirmed", "decider")
    assert review.original_note == "Liquid marks under the keyboard."
    # and the case's timeline shows both decisions
    decided = CaseEvent.objects.filter(case=case, kind=EventKind.DAMAGE_DECIDED).order_by("at", "id")
    assert [e.data["status"] for e in decided] == ["confirmed", "rejected"]
    # and the repair and inspection charges (not storage) are refunded through the ledger
    assert resolution.amount == Decimal("550.00") and balance(Purpose.REFUNDS_PAYABLE) == Decimal("550.00")
    assert "free of charge" in resolution.letter_text and "CNY 550.00" in resolution.letter_text
    # and the warranty engine no longer sees the damage when the part is decided again
    from aftersales.repairs.diagnosis import part_decide

    decision = part_decide(number=case.number, part="mainboard", actor=staff_member(), now=clock.now())
    assert decision.covered is True


def test_an_upheld_damage_decision_stands_and_refunds_nothing(case, damage, agent):
    dispute = filed(case)
    charge(case, "450.00")
    resolution = resolution_damage_review(number=dispute.number, determination=damage.pk, reverse=False,
                                          note="The photos show liquid marks on the mainboard.", considered=[],
                                          key="key-review", actor=agent, now=clock.now())
    damage.refresh_from_db()
    assert damage.status == DamageStatus.CONFIRMED and damage.decided_by.username == "decider"
    assert not Transfer.objects.exists() and resolution.amount is None
    assert "came to the same conclusion" in resolution.letter_text


def test_a_dispute_ends_with_several_resolutions(case, agent):
    dispute = filed(case)
    charge(case, "80.00")
    resolution_accelerate(number=dispute.number, explanation="Moved up.", key="key-first", actor=agent, now=clock.now())
    resolution_reimburse(number=dispute.number, amount="80.00", currency="CNY", explanation="Charged in error.",
                         key="key-second", actor=agent, now=clock.now())
    resolution_explain(number=dispute.number, kind="other", explanation="A voucher for your next service.",
                       key="key-three", actor=agent, now=clock.now())
    dispute = dispute_resolve(number=dispute.number, actor=agent, now=clock.now())
    assert dispute.state == State.RESOLVED and dispute.resolutions.count() == 3
    # and a resolved dispute takes nothing more
    with pytest.raises(AppError) as refused:
        resolution_explain(number=dispute.number, kind="other", explanation="More.", key="key-fourth", actor=agent,
                           now=clock.now())
    assert refused.value.code == "dispute-resolved"


def test_a_case_from_before_this_system_can_be_reimbursed_but_not_accelerated(centres, agent):
    dispute = filed(None)
    with pytest.raises(AppError) as refused:
        resolution_accelerate(number=dispute.number, explanation="Moved up.", key="key-first", actor=agent,
                              now=clock.now())
    assert refused.value.code == "dispute-not-linked"
    resolution = resolution_reimburse(number=dispute.number, amount="35.50", currency="USD",
                                      explanation="You paid twice in 2011.", key="key-second", actor=agent,
                                      now=clock.now())
    assert resolution.transfers and resolution.amount == Decimal("35.50")

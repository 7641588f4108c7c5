"""Money a dispute gives back is put on paper: a reimbursement, or the charges refunded after a
reversed damage decision, becomes a credit note on the case's invoice — once, however often the
form is sent — and when the case has no invoice, none is issued and staff are told why."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.billing.models import ChargeKind
from aftersales.core import clock
from aftersales.disputes.resolutions import resolution_damage_review, resolution_reimburse
from aftersales.disputes.test_resolutions import charge, filed
from aftersales.invoicing.models import CreditNote
from aftersales.invoicing.services import Line, invoice_issue
from aftersales.repairs.models import CaseEvent


def invoiced(case, amount: str):
    return invoice_issue(key=f"case-{case.number}-test-{amount}", case=case, currency="CNY", now=clock.now(),
                         lines=[Line("Repair", "维修", amount)])


def reimburse(dispute, agent, amount="120.00", key="key-reimburse"):
    return resolution_reimburse(number=dispute.number, amount=amount, currency="CNY", key=key,
                                explanation="The fan was quoted twice.", actor=agent, now=clock.now())


def staff_line(case) -> str:
    return CaseEvent.objects.filter(case=case, data__has_key="resolution").get().summary_en


def test_a_reimbursement_is_a_credit_note_on_the_cases_invoice_linked_to_the_refund(case, agent):
    dispute = filed(case)
    charge(case, "300.00")
    invoice = invoiced(case, "300.00")
    resolution = reimburse(dispute, agent)
    note = CreditNote.objects.get()
    assert (note.invoice_id, note.total, note.currency, note.case_id) == (invoice.pk, Decimal("120.00"), "CNY", case.pk)
    assert dispute.display_number in note.reason_en and dispute.display_number in note.reason_zh
    assert [t.pk for t in note.transfers.all()] == resolution.transfers
    assert "credit note" not in staff_line(case)


def test_a_reimbursement_sent_twice_issues_one_credit_note(case, agent):
    dispute = filed(case)
    charge(case, "300.00")
    invoiced(case, "300.00")
    reimburse(dispute, agent)
    reimburse(dispute, agent)
    assert CreditNote.objects.count() == 1


def test_a_reimbursement_on_a_case_without_an_invoice_issues_no_credit_note_and_tells_staff(case, agent):
    dispute = filed(case)
    charge(case, "300.00")
    reimburse(dispute, agent)
    assert not CreditNote.objects.exists()
    assert "No credit note was issued: the case has no invoice in CNY" in staff_line(case)
    assert "未开具贷项通知单" in CaseEvent.objects.filter(case=case, data__has_key="resolution").get().summary_zh


def test_a_refund_larger_than_the_invoice_credits_what_it_can_and_tells_staff_the_rest(case, agent):
    dispute = filed(case)
    charge(case, "300.00")
    invoiced(case, "100.00")
    reimburse(dispute, agent, amount="150.00")
    assert CreditNote.objects.get().total == Decimal("100.00")
    assert "50.00 CNY of the refund is on no invoice" in staff_line(case)


def test_a_reversed_damage_decision_credits_the_refunded_charges_on_the_invoice_once(case, damage, agent):
    dispute = filed(case)
    charge(case, "450.00")
    charge(case, "100.00", ChargeKind.INSPECTION)
    charge(case, "20.00", ChargeKind.STORAGE)
    invoice = invoiced(case, "570.00")
    for _ in range(2):
        resolution = resolution_damage_review(number=dispute.number, determination=damage.pk, reverse=True,
                                              note="The marks are from the factory's thermal paste.",
                                              considered=[], key="key-review", actor=agent, now=clock.now())
    note = CreditNote.objects.get()
    assert (note.invoice_id, note.total) == (invoice.pk, Decimal("550.00"))
    assert sorted(t.pk for t in note.transfers.all()) == sorted(resolution.transfers)
    assert "Damage decision reversed" in note.reason_en


def test_an_upheld_damage_decision_issues_no_credit_note(case, damage, agent):
    dispute = filed(case)
    charge(case, "450.00")
    invoiced(case, "450.00")
    resolution_damage_review(number=dispute.number, determination=damage.pk, reverse=False, note="Liquid marks.",
                             considered=[], key="key-review", actor=agent, now=clock.now())
    assert not CreditNote.objects.exists()

"""Charges reach the ledger when they fall due, in the transaction of the event, under the case
number, once: accepted quotation lines (labour and parts apart), the inspection fee when every
paid line is declined, storage fees when the device leaves."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from aftersales.billing.case_money import case_money
from aftersales.billing.charges import charge_due, inspection_leg, line_legs
from aftersales.billing.models import Charge, ChargeKind, Quotation
from aftersales.core import clock
from aftersales.core.testing import shipped_packs_loaded
from aftersales.ledger.models import Purpose, Transfer
from aftersales.ledger.selectors import balance
from aftersales.ledger.services import account_for
from aftersales.repairs.conftest import NOW, intake
from aftersales.repairs.models import Case
from aftersales.repairs.quotations import quotation_answer, quotation_draft, quotation_send
from aftersales.repairs.returns import case_collect
from aftersales.repairs.services import case_book
from aftersales.repairs.status import Status
from aftersales.repairs.test_quotations import BOARD, LATER, quotable  # noqa: F401  (the fixture)
from aftersales.repairs.testing import drive
from aftersales.repairs.timers import storage_check_run


def revenue(purpose: Purpose, currency: str = "CNY") -> Decimal:
    return balance(account_for(purpose, currency)).credit_posted_net


def answered(case, staff, answer: str) -> Quotation:
    q = quotation_draft(number=case.number, lines=[BOARD], author=staff, now=LATER)
    _, token = quotation_send(quotation_id=q.pk, actor=staff, now=LATER)
    return quotation_answer(token=token, answers={1: answer}, now=LATER)


def test_an_accepted_line_posts_its_labour_and_its_parts_to_their_revenue_under_the_case_number(quotable, staff):
    # given a quotation for a new mainboard: 50.00 labour and 900.00 parts
    # when the customer accepts it
    answered(quotable, staff, "accept")
    # then the customer owes 950.00 on the case, 50.00 earned as labour and 900.00 as parts
    assert (revenue(Purpose.REVENUE_LABOUR), revenue(Purpose.REVENUE_PARTS)) == (Decimal("50.00"), Decimal("900.00"))
    assert set(Transfer.objects.values_list("reference", "debit__purpose", "currency")) == {
        (quotable.number, "receivable", "CNY")}
    [money] = case_money(quotable.number)
    assert (money.currency, money.charged, money.paid, money.owed) == ("CNY", Decimal("950.00"), 0, Decimal("950.00"))
    assert Charge.objects.get(case=quotable).amount == Decimal("950.00")


def test_declining_every_paid_line_posts_the_inspection_fee_as_labour(quotable, staff):
    answered(quotable, staff, "decline")
    assert revenue(Purpose.REVENUE_LABOUR) == Decimal("100.00")
    assert [(m.charged, m.owed) for m in case_money(quotable.number)] == [(Decimal("100.00"), Decimal("100.00"))]


def test_running_a_charge_again_for_the_same_event_moves_no_money_and_writes_no_second_charge(quotable, staff):
    # given an accepted quotation, charged once
    q = answered(quotable, staff, "accept")
    accepted = list(q.lines.all())
    # when the same charge is run again for the same lines (a retry, a re-run)
    again = charge_due(case=quotable, kind=ChargeKind.REPAIR, legs=line_legs(accepted), currency="CNY", quotation=q,
                       now=LATER, text_en="Again.", text_zh="再次。")
    # then nothing moves and no second charge is written
    assert again is None
    assert Transfer.objects.count() == 2 and Charge.objects.filter(case=quotable).count() == 1
    assert case_money(quotable.number)[0].charged == Decimal("950.00")


def test_a_charge_is_undone_with_the_event_that_made_it_due(quotable, staff):
    # given a charge written inside an event that then fails
    q = quotation_draft(number=quotable.number, lines=[BOARD], author=staff, now=LATER)
    with pytest.raises(RuntimeError), transaction.atomic():
        charge_due(case=quotable, kind=ChargeKind.INSPECTION, legs=[inspection_leg(q, Decimal("100.00"))],
                   currency="CNY", quotation=q, now=LATER, text_en="Inspection fee.", text_zh="检测费。")
        raise RuntimeError("the event failed after the charge")
    # then neither the charge nor any money is left behind
    assert not Transfer.objects.exists() and not Charge.objects.exists()
    assert revenue(Purpose.REVENUE_LABOUR) == 0


def test_storage_fees_are_posted_when_the_device_is_collected(centre, device, staff):
    # given a device nobody collected for 70 days (ten days of fees at 5.00)
    shipped_packs_loaded()
    with clock.frozen(NOW):
        case = case_book(intake=intake(), actor=None, now=NOW)
        drive(case, Status.READY, staff=staff, now=NOW)
    day = lambda n: NOW + dt.timedelta(days=n)  # noqa: E731
    with clock.frozen(day(60)):
        storage_check_run(number=case.number, now=day(60))
    # when it is collected
    with clock.frozen(day(70)):
        case_collect(number=case.number, actor=staff, now=day(70))
    # then the fees are owed on the case and earned as storage
    assert revenue(Purpose.REVENUE_STORAGE) == Decimal("50.00")
    assert Transfer.objects.get().key == f"storage:{case.number}"
    assert [(m.charged, m.owed) for m in case_money(case.number)] == [(Decimal("50.00"), Decimal("50.00"))]
    assert Case.objects.get(pk=case.pk).status == Status.COLLECTED

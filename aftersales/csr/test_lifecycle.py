"""A self-repair order from application to refund or purchase: the deposit charged and held,
the part shipped and returned, reminders before the deadline, the purchase after it, and
cancellation — with the books balanced at every step and each step safe to repeat."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.core.errors import AppError
from aftersales.core.testing import NOW
from aftersales.csr.applications import NotEligible, order_apply
from aftersales.csr.conftest import APPLICATION, fault
from aftersales.csr.models import Order
from aftersales.csr.services import (order_cancel, order_delivered, order_return_confirmed, order_return_scanned,
                                     order_ship)
from aftersales.csr.timers import check_days, deadline_check_run, refund_run
from aftersales.ledger.models import Purpose, Transfer
from aftersales.ledger.selectors import balance
from aftersales.ledger.services import account_for
from aftersales.notifications.models import Notification
from aftersales.payments.models import Payment

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def held() -> Decimal:
    return balance(account_for(Purpose.DEPOSITS_HELD, "USD")).credit_posted_net


def revenue() -> Decimal:
    return balance(account_for(Purpose.REVENUE_PARTS, "USD")).credit_posted_net


def pending_for_revenue() -> Decimal:
    return balance(account_for(Purpose.REVENUE_PARTS, "USD")).credits_pending


def apply(**changes) -> Order:
    return order_apply(**(APPLICATION | changes), now=NOW)


def shipped(order: Order) -> Order:
    return order_ship(number=order.number, tracking="1Z999AA10123456784", actor="staff1", now=NOW + DAY)


def notices(order: Order) -> list[str]:
    return [n.key.rsplit(":", 1)[1] for n in Notification.objects.filter(key__startswith=f"csr:{order.number}:")]


def test_an_application_charges_the_deposit_holds_it_for_the_part_and_sets_the_return_date(programme):
    order = apply()
    assert (order.status, order.deposit, order.currency) == ("deposit-held", Decimal("89.00"), "USD")
    assert (order.applied_on, order.return_due_on) == (dt.date(2025, 6, 1), dt.date(2025, 6, 15))
    assert held() == Decimal("89.00") and pending_for_revenue() == Decimal("89.00")
    assert notices(order) == ["applied"]
    message = Notification.objects.get()
    assert "89.00" in message.body_text and "15 June 2025" in message.body_text
    assert order.number in message.subject and "customer_name" not in message.body_text


def test_an_order_records_the_pack_version_and_the_programme_clauses_that_granted_it(programme):
    order = Order.objects.get(pk=apply().pk)
    assert order.pack == "na-notebook@2026.11.30"
    assert order.clauses == ["csr-countries", "csr-products", "csr-parts", "csr-diagnosis", "csr-one-part",
                             "csr-return"]


def test_the_same_form_posted_twice_opens_one_order_and_charges_once(programme):
    first, again = apply(), apply()
    assert again.pk == first.pk
    assert (Order.objects.count(), Payment.objects.count()) == (1, 1) and held() == Decimal("89.00")


def test_an_unknown_serial_is_refused_and_nothing_is_charged(programme):
    with pytest.raises(AppError) as refused:
        apply(serial="NB9999999")
    assert refused.value.code == "unknown-serial"
    assert (Order.objects.count(), Payment.objects.count(), Transfer.objects.count()) == (0, 0, 0)


def test_a_second_confirmed_fault_sends_the_customer_to_a_regular_repair_and_charges_nothing(programme):
    fault(programme, "memory")
    with pytest.raises(NotEligible) as refused:
        apply()
    assert [r.code for r in refused.value.reasons] == ["several-faults"]
    assert refused.value.reasons[0].regular_repair
    assert (Order.objects.count(), Transfer.objects.count()) == (0, 0)


def test_a_part_the_tool_did_not_confirm_is_refused(programme):
    with pytest.raises(NotEligible) as refused:
        apply(part="memory")
    assert [r.code for r in refused.value.reasons] == ["fault-not-confirmed"]


def test_one_confirmed_fault_serves_one_application(programme):
    apply()
    with pytest.raises(NotEligible) as refused:
        apply(request_key="form-0000000002")
    assert [r.code for r in refused.value.reasons] == ["fault-not-confirmed"]
    assert Order.objects.count() == 1


def test_a_declined_card_opens_no_order(programme):
    with pytest.raises(AppError) as refused:
        apply(payment_token="local-decline")
    assert refused.value.code == "payment-declined"
    assert (Order.objects.count(), Transfer.objects.count()) == (0, 0)


def test_missing_contact_and_address_are_refused_together(programme):
    with pytest.raises(AppError) as refused:
        apply(email="", phone="", address=" ")
    assert [e.code for e in refused.value.errors] == ["missing-contact", "missing-address"]


def test_the_part_returned_and_confirmed_refunds_the_deposit_and_tells_the_customer(programme):
    order = shipped(apply())
    order_delivered(number=order.number, now=NOW + 4 * DAY)
    order_return_scanned(number=order.number, now=NOW + 8 * DAY)
    order_return_confirmed(number=order.number, actor="staff1", now=NOW + 10 * DAY)
    assert refund_run(number=order.number, now=NOW + 10 * DAY) == "refunded"
    order.refresh_from_db()
    assert order.status == "refunded"
    assert held() == Decimal("0.00") and revenue() == Decimal("0.00") and pending_for_revenue() == Decimal("0.00")
    assert notices(order) == ["applied", "shipped", "refunded"]
    assert [e.to_status for e in order.events.all()] == ["deposit-held", "shipped", "delivered", "return-sent",
                                                         "return-received", "refunded"]


def test_running_the_refund_again_refunds_nothing_more(programme):
    order = shipped(apply())
    order_return_scanned(number=order.number, now=NOW + 3 * DAY)
    order_return_confirmed(number=order.number, actor="staff1", now=NOW + 5 * DAY)
    assert [refund_run(number=order.number, now=NOW + 5 * DAY) for _ in range(2)] == ["refunded", "wait"]
    assert held() == Decimal("0.00") and Payment.objects.get().refunded == Decimal("89.00")


def test_reminders_go_out_seven_and_two_days_before_the_deadline_once_each(programme):
    order = shipped(apply())
    assert check_days(order) == [dt.date(2025, 6, 8), dt.date(2025, 6, 13), dt.date(2025, 6, 16)]
    at = {day: dt.datetime(2025, 6, day, 14, 0, tzinfo=dt.UTC) for day in (7, 8, 13)}
    assert deadline_check_run(number=order.number, now=at[7]) == "wait"
    for day in (8, 8, 13, 13):
        deadline_check_run(number=order.number, now=at[day])
    assert notices(order) == ["applied", "shipped", "reminder-7", "reminder-2"]
    assert held() == Decimal("89.00")


def test_a_part_not_returned_by_day_fourteen_is_bought_with_the_deposit_the_day_after(programme):
    order = shipped(apply())
    last_day = dt.datetime(2025, 6, 15, 23, 0, tzinfo=dt.UTC)  # 19:00 on 15 June in New York
    assert deadline_check_run(number=order.number, now=last_day) == "reminded"
    assert deadline_check_run(number=order.number, now=last_day + 6 * dt.timedelta(hours=1)) == "purchased"
    order.refresh_from_db()
    assert order.status == "purchased"
    assert revenue() == Decimal("89.00") and held() == Decimal("0.00") and pending_for_revenue() == Decimal("0.00")
    assert notices(order)[-1] == "purchased"
    assert deadline_check_run(number=order.number, now=last_day + 3 * DAY) == "wait"
    assert revenue() == Decimal("89.00")


def test_a_part_on_its_way_back_at_the_deadline_is_not_bought(programme):
    order = shipped(apply())
    order_return_scanned(number=order.number, now=NOW + 13 * DAY)
    assert deadline_check_run(number=order.number, now=NOW + 16 * DAY) == "wait"
    assert revenue() == Decimal("0.00") and held() == Decimal("89.00")


def test_cancelling_before_shipping_refunds_the_deposit(programme):
    order = apply()
    order_cancel(number=order.number, now=NOW + dt.timedelta(hours=1))
    assert refund_run(number=order.number, now=NOW + dt.timedelta(hours=1)) == "refunded"
    assert held() == Decimal("0.00") and notices(order) == ["applied", "cancelled", "refunded"]


def test_cancelling_after_delivery_waits_for_every_component_to_come_back(programme):
    order = shipped(apply())
    order_cancel(number=order.number, now=NOW + 3 * DAY)
    assert refund_run(number=order.number, now=NOW + 3 * DAY) == "wait"
    assert held() == Decimal("89.00") and notices(order)[-1] == "cancel-requested"
    order_return_scanned(number=order.number, now=NOW + 4 * DAY)
    order_return_confirmed(number=order.number, actor="staff1", now=NOW + 6 * DAY)
    assert refund_run(number=order.number, now=NOW + 6 * DAY) == "refunded"


def test_an_order_on_its_way_back_can_no_longer_be_cancelled(programme):
    order = shipped(apply())
    order_return_scanned(number=order.number, now=NOW + 3 * DAY)
    with pytest.raises(AppError) as refused:
        order_cancel(number=order.number, now=NOW + 3 * DAY)
    assert refused.value.code == "cannot-cancel"


def test_confirming_a_return_that_never_left_is_refused(programme):
    order = shipped(apply())
    with pytest.raises(AppError) as refused:
        order_return_confirmed(number=order.number, actor="staff1", now=NOW + 3 * DAY)
    assert refused.value.code == "order-step-not-allowed"

"""The case's money on the console's case page, read from the ledger, and the payment taken at
the counter: recorded once however often the form is sent, refused beside the form when it asks
too much, and offered only to those who may take it."""

from __future__ import annotations

import html
from decimal import Decimal

from aftersales.billing.case_money import case_money
from aftersales.billing.charges import charge_due, storage_leg
from aftersales.billing.models import ChargeKind
from aftersales.console.conftest import signed_in
from aftersales.core import clock


def text(response) -> str:
    return html.unescape(response.content.decode())


def owing(case, amount="80.00"):
    charge_due(case=case, kind=ChargeKind.STORAGE, legs=[storage_leg(case.number, Decimal(amount))], currency="CNY",
               now=clock.now(), text_en="Storage.", text_zh="保管费。")
    return case


def form_key(page: str) -> str:
    return page.split('name="payment-key" value="')[1].split('"')[0]


def payment(key: str, amount="80.00", method="cash") -> dict:
    return {"payment-amount": amount, "payment-method": method, "payment-currency": "CNY", "payment-key": key}


def test_staff_see_what_is_owed_and_record_the_payment_once_however_often_the_form_is_sent(booked):
    # given a case owing 80.00, on the page of a member of staff
    owing(booked)
    staff = signed_in("staff")
    page = text(staff.get(f"/console/cases/{booked.number}/?tab=return"))
    assert "Still owed" in page and "80.00 CNY" in page and "Payment taken at the counter" in page
    key = form_key(page)
    # when they send the payment form twice
    first = staff.post(f"/console/cases/{booked.number}/payments/", payment(key))
    second = staff.post(f"/console/cases/{booked.number}/payments/", payment(key))
    # then one payment is recorded and the case owes nothing
    assert first.status_code == second.status_code == 302
    assert first["Location"] == f"/console/cases/{booked.number}/?tab=return#money"
    [money] = case_money(booked.number)
    assert (money.paid, money.owed) == (Decimal("80.00"), Decimal("0.00"))
    page = text(staff.get(first["Location"]))
    assert "Payment recorded." in page and "Payment taken at the counter" not in page


def test_a_payment_above_what_is_owed_is_refused_beside_the_form_and_moves_nothing(booked):
    owing(booked)
    staff = signed_in("staff")
    key = form_key(text(staff.get(f"/console/cases/{booked.number}/")))
    response = staff.post(f"/console/cases/{booked.number}/payments/", payment(key, amount="100.00"))
    assert response.status_code == 422
    page = text(response)
    assert "The customer owes 80.00 CNY; take no more than that." in page
    assert 'id="tab-return"' in page and 'id="tab-return" hidden' not in page
    assert case_money(booked.number)[0].paid == 0


def test_the_page_speaks_chinese_to_a_chinese_reader(booked):
    owing(booked)
    staff = signed_in("staff")
    page = text(staff.get(f"/console/cases/{booked.number}/", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "尚未支付" in page and "柜台收款" in page and "登记付款" in page


def test_those_who_may_not_take_a_payment_see_the_figures_without_the_form_and_are_refused(booked):
    owing(booked)
    auditor = signed_in("auditor")
    page = text(auditor.get(f"/console/cases/{booked.number}/"))
    assert "Still owed" in page and "payment-key" not in page
    response = auditor.post(f"/console/cases/{booked.number}/payments/", payment("k-1"))
    assert response.status_code == 403 and case_money(booked.number)[0].paid == 0


def test_a_case_with_no_money_says_so(booked):
    page = text(signed_in("staff").get(f"/console/cases/{booked.number}/"))
    assert "Nothing charged or paid on this case." in page and "payment-key" not in page

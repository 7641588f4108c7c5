"""The customer's case page says what they owe and have paid, as the ledger holds it, in their
language; nothing while the books hold nothing for the case."""

import html
from decimal import Decimal

import pytest
from django.test import Client

from aftersales.billing.charges import charge_due, storage_leg
from aftersales.billing.models import ChargeKind
from aftersales.centres.models import ServiceCentre
from aftersales.core import clock
from aftersales.repairs.models import Case
from aftersales.repairs.payments import payment_take
from aftersales.repairs.testing import staff_member


@pytest.fixture
def opened(registry):
    """A customer who applied for a repair, with the case open in their browser."""
    ServiceCentre.objects.create(code="sh-01", name_en="Shanghai Xuhui", name_zh="上海徐汇", region="CN",
                                 city="Shanghai", timezone="Asia/Shanghai")
    client = Client()
    client.post("/repair/apply/", {
        "centre": "sh-01", "kind": "carry-in", "customer_name": "Wang Fang", "email": "wang@example.com",
        "serial": "HD000002", "symptoms": "No picture on the screen", "preference": "own-device",
        "ack_data_loss": "on", "ack_passwords": "on", "ack_peripherals": "on"})
    return client, Case.objects.get()


def page(client, case, language="en") -> str:
    return html.unescape(client.get(f"/track/{case.number}/", HTTP_ACCEPT_LANGUAGE=language).content.decode())


def test_the_customer_sees_what_they_were_charged_have_paid_and_have_left_to_pay(opened):
    client, case = opened
    assert "What you owe and have paid" not in page(client, case)
    # given 80.00 charged and 30.00 paid at the counter
    charge_due(case=case, kind=ChargeKind.STORAGE, legs=[storage_leg(case.number, Decimal("80.00"))],
               currency="CNY", now=clock.now(), text_en="Storage.", text_zh="保管费。")
    payment_take(number=case.number, amount="30.00", currency="CNY", method="card", key="k-1",
                 actor=staff_member(), now=clock.now())
    # then their page says so, in English and in Chinese
    english = page(client, case)
    assert "What you owe and have paid" in english
    assert "You have paid</dt><dd>30.00 CNY" in english and "Left to pay</dt><dd>50.00 CNY" in english
    chinese = page(client, case, "zh-hans")
    assert "您的费用与付款" in chinese and "尚需支付</dt><dd>50.00 CNY" in chinese

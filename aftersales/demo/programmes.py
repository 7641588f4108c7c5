"""Demo self-repair orders and disputes, built through the ordinary services.

- Self-repair: the programme's deposits on the parts price list for notebooks in the United
  States and Canada; the showcase notebook NBUS00001 with its SSD found faulty by the diagnostic
  tool, so anyone can apply for it on /self-repair/; and a second notebook whose memory module is
  already on its way to the customer, so staff see an order on their page.
- Disputes: one about the demo customer's repair that is ready to collect, filed an hour ago; one
  about a repair from 2023 (in the demo history of past years), filed eight days ago and not yet
  answered, so executive care sees it late and escalated.

Nothing is built twice: each part is skipped when what it makes is already there.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from aftersales.billing.models import PartPrice
from aftersales.csr.applications import order_apply
from aftersales.csr.models import DiagnosticResult, Order
from aftersales.csr.numbers import display as order_display
from aftersales.csr.services import order_ship
from aftersales.demo.cases import DEMO_EMAIL
from aftersales.demo.history import DISPUTED
from aftersales.disputes.models import Dispute
from aftersales.disputes.services import Filing, dispute_file
from aftersales.warranty.models import Device

DEPOSITS = {"US": ("USD", {"ssd": "89.00", "memory": "45.00", "hdd": "79.00", "power-adapter": "39.00"}),
            "CA": ("CAD", {"ssd": "119.00", "memory": "59.00", "hdd": "99.00", "power-adapter": "49.00"})}
APPLY_YOURSELF = ("NBUS00001", "ssd")


def _deposits_listed() -> None:
    for region, (currency, parts) in DEPOSITS.items():
        for part, price in parts.items():
            PartPrice.objects.get_or_create(part=part, product_line="notebook", region=region, model="",
                                            valid_from=dt.date(2020, 1, 1),
                                            defaults={"price": Decimal(price), "currency": currency})


def _fault(serial: str, part: str, now: dt.datetime) -> None:
    at = now - dt.timedelta(hours=2)
    DiagnosticResult.objects.get_or_create(nonce=f"demo-{serial}-{part}", defaults={
        "serial": serial, "part": part, "test_id": f"demo-{part}", "outcome": DiagnosticResult.Outcome.FAULT,
        "tested_at": at, "received_at": at})


def _recent_notebook(now: dt.datetime) -> Device | None:
    """A notebook sold in the United States, made in the last half year, not a showcase one."""
    since = now.date() - dt.timedelta(days=180)
    return (Device.objects.filter(product_line="notebook", sold_in="US", manufactured_on__gte=since)
            .exclude(serial__startswith="NBUS0000").order_by("serial").first())


@transaction.atomic
def demo_self_repair(*, now: dt.datetime) -> list[str]:
    _deposits_listed()
    serial, part = APPLY_YOURSELF
    _fault(serial, part, now)
    lines = [f"apply on /self-repair/ for {serial}, part: solid-state drive (purchase date: any day this year)"]
    shipped = Order.objects.filter(email=DEMO_EMAIL).first()
    device = _recent_notebook(now)
    if shipped is None and device is not None:
        _fault(device.serial, "memory", now)
        shipped = order_apply(request_key=f"demo-order-{device.serial}", serial=device.serial, part="memory",
                              customer_name="Demo Customer", email=DEMO_EMAIL, phone="",
                              address="48000 Kato Road, Fremont, CA 94538",
                              purchased_on=(device.shipped_on or device.manufactured_on) + dt.timedelta(days=3),
                              language="en", payment_token="demo-payment", now=now)
        shipped = order_ship(number=shipped.number, tracking="1Z999AA10123456784", actor="staff", now=now)
    if shipped is not None:
        lines.append(f"{order_display(shipped.number)}  memory module on its way (find it on /self-repair/find/ "
                     f"with {DEMO_EMAIL}; staff: /self-repair/staff/)")
    return lines


@transaction.atomic
def demo_disputes(*, ready_case, now: dt.datetime) -> list[str]:
    if not Dispute.objects.filter(email=DEMO_EMAIL).exists():
        older, serial = DISPUTED
        dispute_file(filing=Filing(
            customer_name="Demo Customer / 演示客户", case_number=older, serial=serial, country="CN",
            what_happened="更换电源时收取的电源费用比价目表上的价格高出 30 元。/ I was charged 30 yuan more for the "
                          "power supply than the price list said.", email=DEMO_EMAIL, language="zh-hans"),
            actor=None, now=now - dt.timedelta(days=8))
        if ready_case is not None:
            dispute_file(filing=Filing(
                customer_name="Demo Customer / 演示客户", case_number=ready_case.number, serial=ready_case.serial,
                country="CN", what_happened="The fan still rattles after the repair.", email=DEMO_EMAIL),
                actor=None, now=now - dt.timedelta(hours=1))
    return [f"{d.display_number}  {d.get_state_display()}, about {d.case.display_number if d.case else d.case_number}"
            for d in Dispute.objects.filter(email=DEMO_EMAIL).order_by("filed_at")]

"""Self-repair fixtures: the shipped packs, a notebook sold in the United States with its SSD
fault confirmed by the diagnostic tool, and the parts price list for the programme's parts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.billing.models import PartPrice
from aftersales.core import clock
from aftersales.core.testing import NOW, device_made, shipped_packs_loaded
from aftersales.csr.models import DiagnosticResult

PRICES = {"ssd": ("US", "89.00", "USD"), "memory": ("US", "45.00", "USD"), "hdd": ("CA", "79.00", "CAD"),
          "power-adapter": ("US", "39.00", "USD")}


def prices_listed() -> None:
    for part, (region, price, currency) in PRICES.items():
        PartPrice.objects.create(part=part, product_line="notebook", region=region, price=Decimal(price),
                                 currency=currency, valid_from=dt.date(2024, 1, 1))


def fault(serial: str, part: str, *, outcome: str = "fault-confirmed", nonce: str | None = None,
          at: dt.datetime = NOW - dt.timedelta(hours=2)) -> DiagnosticResult:
    return DiagnosticResult.objects.create(serial=serial, part=part, test_id=f"adt-{part}", outcome=outcome,
                                           tested_at=at, nonce=nonce or f"nonce-{serial}-{part}-{outcome}-{at:%s}",
                                           received_at=at)


@pytest.fixture
def frozen_now():
    with clock.frozen(NOW) as now:
        yield now


@pytest.fixture
def programme(db, frozen_now):
    """A notebook bought in the US in 2025 (in warranty), its SSD confirmed faulty."""
    shipped_packs_loaded()
    prices_listed()
    device_made("NB0000001", "notebook", dt.date(2025, 1, 10), "US", model="UX3405MA",
                shipped_on=dt.date(2025, 1, 20))
    fault("NB0000001", "ssd")
    return "NB0000001"


APPLICATION = {"request_key": "form-0000000001", "serial": "NB0000001", "part": "ssd", "customer_name": "Ann Lee",
               "email": "ann.lee@example.com", "phone": "", "address": "12 Elm Street, Springfield, IL 62701",
               "purchased_on": "2025-02-01", "language": "en", "payment_token": "tok_from_the_payment_page"}

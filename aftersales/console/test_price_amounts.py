"""Hostile values typed into the price list and fair-market-value pages: every one is refused on
the form with its code (4xx, never a server error) and nothing is added or ended."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal

import pytest

from aftersales.billing.models import FairMarketValue, PartPrice
from aftersales.console.conftest import signed_in

PAGES = {
    "prices": ({"add-part": "psu", "add-product_line": "home-desktop", "add-region": "CN", "add-model": "",
                "add-price": "320.00", "add-currency": "CNY", "add-valid_from": "2025-06-01"}, "add-price"),
    "values": ({"add-model": "S500SE", "add-region": "CN", "add-value": "3999.00", "add-currency": "CNY",
                "add-valid_from": "2025-06-01"}, "add-value"),
}
AMOUNTS = [
    ("1e26", "invalid-amount"), ("1e25", "invalid-amount"), ("NaN", "invalid-amount"), ("Infinity", "invalid-amount"),
    ("-Infinity", "invalid-amount"), ("３２０", "invalid-amount"), ("320,00", "invalid-amount"),
    ("10000000000", "amount-too-large"), ("99999999999999999999", "amount-too-large"),
    ("-0.01", "negative-amount"), ("1.005", "amount-too-precise"),
]


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def admin(registry):
    return signed_in("admin")


def nothing_added() -> bool:
    return not PartPrice.objects.exists() and not FairMarketValue.objects.exists()


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("amount, code", AMOUNTS)
def test_a_hostile_amount_is_refused_with_its_code_and_nothing_is_added(admin, page, amount, code):
    form, field = PAGES[page]
    response = admin.post(f"/console/{page}/new/", {**form, field: amount})
    assert response.status_code == 422 and code in text(response)
    assert nothing_added()


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("field, value", [
    ("add-valid_from", "2025-02-30"), ("add-valid_from", "99999-01-01"), ("add-valid_from", "2025-06-01\x00"),
    ("add-valid_from", "0000-00-00"), ("add-region", "C" * 5000), ("add-currency", "¥"), ("add-model", "x" * 5000),
    ("add-model", "S500\x00SE"),
])
def test_a_hostile_date_name_or_model_is_refused_and_nothing_is_added(admin, page, field, value):
    form, _ = PAGES[page]
    response = admin.post(f"/console/{page}/new/", {**form, field: value})
    assert 400 <= response.status_code < 500
    assert nothing_added()


@pytest.mark.parametrize("valid_to", ["2025-13-01", "2025-06-31\x00", "-1", "9" * 400])
def test_a_hostile_end_date_is_refused_and_the_row_stays_open(admin, valid_to):
    row = PartPrice.objects.create(part="psu", product_line="aio", region="CN", price=Decimal("300.00"),
                                   currency="CNY", valid_from=dt.date(2025, 1, 1))
    response = admin.post(f"/console/prices/{row.pk}/end/", {f"end-{row.pk}-valid_to": valid_to})
    assert 400 <= response.status_code < 500
    assert PartPrice.objects.get().valid_to is None


@pytest.mark.parametrize("query", ["?model=%00", "?part=" + "x" * 5000, "?region[]=CN&line=%FF"])
def test_hostile_filters_show_the_list_unfiltered(admin, query):
    assert admin.get(f"/console/prices/{query}").status_code == 200

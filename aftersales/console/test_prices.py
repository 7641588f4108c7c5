"""The price-list pages of the console: administrators add a price and end one, never change it;
an overlapping row is refused on the form; staff, verifiers and auditors read the lists."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal

import pytest

from aftersales.billing.models import FairMarketValue, PartPrice
from aftersales.console.conftest import signed_in


def text(response) -> str:
    return html.unescape(response.content.decode())


PSU = {"add-part": "psu", "add-product_line": "home-desktop", "add-region": "CN", "add-model": "",
       "add-price": "320.00", "add-currency": "CNY", "add-valid_from": "2025-06-01"}


@pytest.fixture
def admin(registry):
    return signed_in("admin")


def test_an_administrator_adds_a_part_price_and_sees_it_in_force(admin):
    response = admin.post("/console/prices/new/", PSU)
    assert response.status_code == 302 and response["Location"] == "/console/prices/"
    row = PartPrice.objects.get()
    assert (row.part, row.price, row.currency, row.valid_from, row.valid_to) == (
        "psu", Decimal("320.00"), "CNY", dt.date(2025, 6, 1), None)
    page = text(admin.get("/console/prices/"))
    assert "Power supply" in page and "320.00 CNY" in page and "in force" in page and "End this row" in page


def test_a_price_overlapping_an_open_price_is_refused_on_the_form_and_nothing_is_added(admin):
    admin.post("/console/prices/new/", PSU)
    response = admin.post("/console/prices/new/", {**PSU, "add-price": "300.00", "add-valid_from": "2025-07-01"})
    assert response.status_code == 409
    page = text(response)
    assert "price-overlap" in page and "End that row first" in page and 'value="300.00"' in page
    assert PartPrice.objects.count() == 1


def test_ending_a_price_and_adding_the_next_one_keeps_the_history(admin):
    admin.post("/console/prices/new/", PSU)
    first = PartPrice.objects.get()
    response = admin.post(f"/console/prices/{first.pk}/end/", {f"end-{first.pk}-valid_to": "2025-06-30"})
    assert response.status_code == 302
    assert admin.post("/console/prices/new/", {**PSU, "add-price": "300.00",
                                               "add-valid_from": "2025-07-01"}).status_code == 302
    assert list(PartPrice.objects.order_by("valid_from").values_list("price", "valid_from", "valid_to")) == [
        (Decimal("320.00"), dt.date(2025, 6, 1), dt.date(2025, 6, 30)),
        (Decimal("300.00"), dt.date(2025, 7, 1), None)]
    page = text(admin.get("/console/prices/?part=psu"))
    assert "scheduled" in page and "2025-06-30" in page


def test_a_backdated_price_and_a_hostile_amount_are_refused_with_their_codes(admin):
    for price, valid_from, code in (("320.00", "2025-05-31", "starts-in-the-past"), ("1e26", "2025-06-01",
                                                                                      "invalid-amount"),
                                    ("-1", "2025-06-01", "negative-amount")):
        response = admin.post("/console/prices/new/", {**PSU, "add-price": price, "add-valid_from": valid_from})
        assert response.status_code == 422 and code in text(response)
    assert not PartPrice.objects.exists()


def test_ending_a_row_in_the_past_is_refused_on_its_row(admin):
    row = PartPrice.objects.create(part="psu", product_line="aio", region="CN", price=Decimal("300.00"),
                                   currency="CNY", valid_from=dt.date(2025, 1, 1))
    response = admin.post(f"/console/prices/{row.pk}/end/", {f"end-{row.pk}-valid_to": "2025-05-01"})
    assert response.status_code == 422 and "ends-in-the-past" in text(response)
    assert PartPrice.objects.get().valid_to is None


def test_an_administrator_adds_a_fair_market_value_and_an_overlap_is_refused(admin):
    value = {"add-model": "S500SE", "add-region": "CN", "add-value": "3999.00", "add-currency": "CNY",
             "add-valid_from": "2025-06-01"}
    assert admin.post("/console/values/new/", value).status_code == 302
    response = admin.post("/console/values/new/", {**value, "add-value": "3500.00", "add-valid_from": "2025-09-01"})
    assert response.status_code == 409 and "price-overlap" in text(response)
    assert list(FairMarketValue.objects.values_list("model", "value")) == [("S500SE", Decimal("3999.00"))]
    assert "3999.00 CNY" in text(admin.get("/console/values/?model=S5"))


def test_a_fair_market_value_in_the_wrong_currency_for_the_region_is_refused(admin):
    response = admin.post("/console/values/new/", {"add-model": "Zenbook 14", "add-region": "US", "add-value": "999.00",
                                                   "add-currency": "CNY", "add-valid_from": "2025-06-01"})
    assert response.status_code == 422 and "wrong-currency" in text(response)


@pytest.mark.parametrize("role", ["staff", "verifier", "auditor"])
def test_those_who_quote_verify_and_audit_read_the_lists_without_the_forms(registry, role):
    PartPrice.objects.create(part="psu", product_line="aio", region="CN", price=Decimal("300.00"), currency="CNY",
                             valid_from=dt.date(2025, 1, 1))
    client = signed_in(role)
    page = text(client.get("/console/prices/"))
    assert "300.00 CNY" in page and "Add a price" not in page and "End this row" not in page
    assert 'href="/console/prices/"' in page  # in the console navigation
    assert client.post("/console/prices/new/", PSU).status_code == 403


def test_the_lists_speak_chinese_to_a_chinese_browser(admin):
    admin.post("/console/prices/new/", PSU)
    page = text(admin.get("/console/prices/", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "备件价目表" in page and "电源" in page and "生效中" in page

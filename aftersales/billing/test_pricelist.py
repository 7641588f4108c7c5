"""Keeping the parts price list and the fair market values: rows are added and ended, never
edited; rows of one key never overlap; amounts and currencies are checked, by the database too."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from aftersales.billing.models import Charge, FairMarketValue, PartPrice
from aftersales.billing.pricelist import (
    fair_market_value_add,
    fair_market_value_end,
    part_price_add,
    part_price_end,
)
from aftersales.billing.selectors import fair_market_value_on, part_price_on
from aftersales.core.errors import AppError, Conflict, Forbidden
from aftersales.core.money import Money
from aftersales.core.testing import NOW, role_user, shipped_packs_loaded

TODAY = dt.date(2025, 6, 1)  # NOW in Shanghai


@pytest.fixture
def admin(db):
    shipped_packs_loaded()
    return role_user("admin")


def add_psu(admin, price="320.00", valid_from=TODAY, **kw):
    fields = dict(part="psu", product_line="home-desktop", region="CN", price=price, currency="CNY",
                  valid_from=valid_from, actor=admin, now=NOW)
    return part_price_add(**{**fields, **kw})


def test_a_price_added_today_is_the_list_price_from_today(admin):
    add_psu(admin)
    assert part_price_on(part="psu", product_line="home-desktop", region="CN", model="D700MA",
                         day=TODAY) == Money("320.00", "CNY")
    assert part_price_on(part="psu", product_line="home-desktop", region="CN", model="D700MA",
                         day=TODAY - dt.timedelta(days=1)) is None


def test_a_price_that_overlaps_an_open_price_of_the_same_key_is_refused(admin):
    add_psu(admin)
    with pytest.raises(Conflict) as err:
        add_psu(admin, price="300.00", valid_from=TODAY + dt.timedelta(days=30))
    assert err.value.code == "price-overlap" and "2025-06-01" in err.value.en
    assert PartPrice.objects.count() == 1


def test_ending_a_price_then_adding_the_next_from_the_following_day_keeps_both_rows(admin):
    first = add_psu(admin)
    part_price_end(price_id=first.pk, valid_to="2025-06-30", actor=admin, now=NOW)
    add_psu(admin, price="300.00", valid_from="2025-07-01")
    on = dict(part="psu", product_line="home-desktop", region="CN", model="")
    assert part_price_on(**on, day=dt.date(2025, 6, 30)) == Money("320.00", "CNY")
    assert part_price_on(**on, day=dt.date(2025, 7, 1)) == Money("300.00", "CNY")


def test_a_new_price_that_starts_inside_an_ended_range_is_refused(admin):
    first = add_psu(admin)
    part_price_end(price_id=first.pk, valid_to="2025-06-30", actor=admin, now=NOW)
    with pytest.raises(Conflict):
        add_psu(admin, valid_from="2025-06-30")


def test_a_price_for_one_model_may_run_beside_the_price_for_every_model_and_wins_for_that_model(admin):
    add_psu(admin)
    add_psu(admin, price="350.00", model="D700MA")
    on = dict(part="psu", product_line="home-desktop", region="CN", day=TODAY)
    assert part_price_on(**on, model="D700MA") == Money("350.00", "CNY")
    assert part_price_on(**on, model="S500SE") == Money("320.00", "CNY")


def test_history_is_not_rewritten_no_price_starts_or_ends_before_today(admin):
    with pytest.raises(AppError) as err:
        add_psu(admin, valid_from=TODAY - dt.timedelta(days=1))
    assert err.value.code == "starts-in-the-past"
    row = add_psu(admin)
    with pytest.raises(AppError) as err:
        part_price_end(price_id=row.pk, valid_to=TODAY - dt.timedelta(days=1), actor=admin, now=NOW)
    assert err.value.code in ("ends-in-the-past", "ends-before-start")


def test_an_ended_row_stays_as_it_is(admin):
    row = add_psu(admin)
    part_price_end(price_id=row.pk, valid_to="2025-12-31", actor=admin, now=NOW)
    with pytest.raises(Conflict) as err:
        part_price_end(price_id=row.pk, valid_to="2026-12-31", actor=admin, now=NOW)
    assert err.value.code == "already-ended"
    assert PartPrice.objects.get().valid_to == dt.date(2025, 12, 31)


@pytest.mark.parametrize("price, code", [("1e26", "invalid-amount"), ("NaN", "invalid-amount"), ("-1", "negative-amount"),
                                         ("12345678901.00", "amount-too-large"), ("3.999", "amount-too-precise")])
def test_a_price_goes_through_the_one_amount_parser(admin, price, code):
    with pytest.raises(AppError) as err:
        add_psu(admin, price=price)
    assert (err.value.code, err.value.field) == (code, "price")


@pytest.mark.parametrize("field, value, code", [("currency", "EUR", "unknown-currency"),
                                                ("currency", "USD", "wrong-currency"),
                                                ("part", "warp-core", "unknown-part"),
                                                ("valid_from", "01/07/2025", "invalid-date")])
def test_a_price_row_names_known_things_in_the_regions_currency(admin, field, value, code):
    with pytest.raises(AppError) as err:
        add_psu(admin, **{field: value})
    assert err.value.code == code


def test_only_an_administrator_keeps_the_lists(admin):
    with pytest.raises(Forbidden):
        add_psu(role_user("verifier"))


def test_a_fair_market_value_has_an_effective_range_and_refuses_overlaps(admin):
    first = fair_market_value_add(model="D700MA", region="CN", value="3999.00", currency="CNY", valid_from=TODAY,
                                  actor=admin, now=NOW)
    with pytest.raises(Conflict):
        fair_market_value_add(model="D700MA", region="CN", value="3500.00", currency="CNY",
                              valid_from="2025-09-01", actor=admin, now=NOW)
    fair_market_value_end(value_id=first.pk, valid_to="2025-08-31", actor=admin, now=NOW)
    fair_market_value_add(model="D700MA", region="CN", value="3500.00", currency="CNY", valid_from="2025-09-01",
                          actor=admin, now=NOW)
    assert fair_market_value_on(model="D700MA", region="CN", day=dt.date(2025, 8, 31)) == Money("3999.00", "CNY")
    assert fair_market_value_on(model="D700MA", region="CN", day=dt.date(2025, 9, 1)) == Money("3500.00", "CNY")


def test_a_fair_market_value_of_zero_or_in_another_currency_is_refused(admin):
    for value, currency, code in (("0", "CNY", "invalid-amount"), ("999.00", "USD", "wrong-currency")):
        with pytest.raises(AppError) as err:
            fair_market_value_add(model="D700MA", region="CN", value=value, currency=currency, valid_from=TODAY,
                                  actor=admin, now=NOW)
        assert err.value.code == code
    assert not FairMarketValue.objects.exists()


@pytest.mark.parametrize("model, fields", [
    (PartPrice, dict(part="psu", product_line="aio", region="CN", price=Decimal("1"), valid_from=TODAY)),
    (FairMarketValue, dict(model="X", region="CN", value=Decimal("1"), valid_from=TODAY)),
])
def test_the_database_refuses_an_unknown_currency_on_a_price_row(db, model, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(currency="EUR", **fields)


def test_the_database_refuses_a_fair_market_value_ending_before_it_starts(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        FairMarketValue.objects.create(model="X", region="CN", value=Decimal("1"), currency="CNY", valid_from=TODAY,
                                       valid_to=TODAY - dt.timedelta(days=1))


def test_the_database_refuses_a_charge_in_an_unknown_currency(booked):
    with pytest.raises(IntegrityError), transaction.atomic():
        Charge.objects.create(case=booked, kind="repair", amount=Decimal("10"), currency="XXX", text_en="x",
                              text_zh="x", created_at=NOW)

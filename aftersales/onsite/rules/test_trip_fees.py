"""Trip fees by worked example at every boundary of the desktop terms' fee tables."""

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.onsite.rules.trip import Trip, is_evening, onsite_offer, trip_fee


def fee(terms, km, *, evening=False, machines=1, free=False):
    return trip_fee(terms, Trip(Decimal(km), evening, machines, free)).amount


@pytest.mark.parametrize("km, expected", [
    ("0", "100.00"), ("12.5", "100.00"), ("39.99", "100.00"), ("40", "100.00"), ("40.00", "100.00"),
])
def test_a_paid_day_visit_within_40_km_of_the_centre_costs_100(terms, km, expected):
    assert fee(terms, km) == Decimal(expected)


@pytest.mark.parametrize("km", ["40.01", "41", "250"])
def test_a_paid_day_visit_beyond_40_km_is_priced_by_a_person_never_by_the_system(terms, km):
    result = trip_fee(terms, Trip(Decimal(km), evening=False))
    assert result.amount is None and result.agreed_by_hand
    assert "agrees the trip fee" in result.en and "协商" in result.zh


@pytest.mark.parametrize("km, expected", [
    ("0", "50.00"), ("10", "50.00"), ("10.01", "70.00"), ("20", "70.00"), ("20.01", "100.00"),
    ("30", "100.00"), ("30.01", "140.00"), ("40", "140.00"),
])
def test_evening_fees_by_tier_with_each_boundary_in_the_lower_tier(terms, km, expected):
    assert fee(terms, km, evening=True) == Decimal(expected)


def test_an_evening_visit_beyond_40_km_is_agreed_by_hand(terms):
    result = trip_fee(terms, Trip(Decimal("40.01"), evening=True))
    assert result.agreed_by_hand and result.clause == "visit-evening"


def test_an_evening_visit_is_paid_even_when_the_fault_is_free_on_site(terms):
    assert fee(terms, "8", evening=True, free=True) == Decimal("50.00")


def test_a_free_on_site_day_visit_costs_nothing_at_any_distance_from_the_centre(terms):
    assert fee(terms, "75", free=True) == Decimal("0.00")
    assert fee(terms, "5", free=True) == Decimal("0.00")


def test_several_machines_at_one_site_pay_one_trip_fee(terms):
    result = trip_fee(terms, Trip(Decimal("15"), evening=True, machines=3))
    assert result.amount == Decimal("70.00")
    assert "all 3 machines" in result.en and "3 台机器只收一笔" in result.zh


@pytest.mark.parametrize("starts, evening", [
    (dt.time(17, 59), False), (dt.time(18, 0), True), (dt.time(20, 59), True), (dt.time(21, 0), False),
    (dt.time(9, 0), False),
])
def test_an_evening_visit_starts_from_18_00_up_to_but_not_at_21_00(terms, starts, evening):
    assert is_evening(terms, starts) is evening


@pytest.mark.parametrize("km, free", [("0", True), ("80", True), ("80.00", True), ("80.01", False), ("120", False)])
def test_free_on_site_reaches_80_km_from_the_nearest_county_level_city(terms, km, free):
    offer = onsite_offer(terms, onsite_eligible=True, km_to_city=Decimal(km), original_parts=True)
    assert offer.free is free
    if not free:
        assert f"{km} km" in offer.en and "送修" in offer.zh


def test_a_fault_the_warranty_does_not_cover_on_site_is_offered_carry_in_or_a_paid_visit(terms):
    offer = onsite_offer(terms, onsite_eligible=False, km_to_city=Decimal("3"), original_parts=True)
    assert not offer.free and "bring the device in" in offer.en and "付费上门" in offer.zh


def test_parts_that_are_not_the_original_configuration_are_not_repaired_free_on_site(terms):
    offer = onsite_offer(terms, onsite_eligible=True, km_to_city=Decimal("3"), original_parts=False)
    assert not offer.free and "original parts" in offer.en and "原厂配置" in offer.zh


def test_a_site_that_cannot_be_placed_near_a_city_is_not_promised_a_free_visit(terms):
    offer = onsite_offer(terms, onsite_eligible=True, km_to_city=None, original_parts=True)
    assert not offer.free and "could not place" in offer.en

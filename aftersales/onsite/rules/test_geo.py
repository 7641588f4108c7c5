"""Great-circle distances, checked against figures worked out by hand and published ones."""

from decimal import Decimal

import pytest

from aftersales.core.errors import AppError
from aftersales.onsite.rules.geo import Place, great_circle_km, nearest, point


def test_one_degree_of_latitude_is_111_20_km_on_the_mean_earth_sphere():
    # 2 * pi * 6371.0088 / 360 = 111.1951 km
    assert great_circle_km(point("30", "120"), point("31", "120")) == Decimal("111.20")


def test_a_quarter_of_the_equator_is_10007_56_km():
    # pi / 2 * 6371.0088 = 10007.557 km
    assert great_circle_km(point("0", "0"), point("0", "90")) == Decimal("10007.56")


def test_the_same_point_is_zero_km_away():
    assert great_circle_km(point("31.2304", "121.4737"), point("31.2304", "121.4737")) == Decimal("0.00")


def test_shanghai_to_beijing_is_about_the_published_1068_km():
    km = great_circle_km(point("31.2304", "121.4737"), point("39.9042", "116.4074"))
    assert Decimal("1062") < km < Decimal("1074")


def test_the_nearest_place_is_the_closest_one_with_its_distance():
    places = [Place("sh", "Shanghai", "上海", point("31.2304", "121.4737")),
              Place("sz", "Suzhou", "苏州", point("31.2990", "120.5853"))]
    place, km = nearest(places, point("31.30", "120.60"))
    assert place.code == "sz" and km < Decimal("2")
    assert nearest([], point("0", "0")) is None


@pytest.mark.parametrize("lat, lon", [
    ("91", "0"), ("-90.5", "0"), ("0", "180.01"), ("NaN", "0"), ("0", "Infinity"), ("north", "0"),
    (["31"], "0"), (None, "0"), (True, "0"), (31.5, "0"), ("1" * 40, "0"),
])
def test_coordinates_out_of_range_or_not_numbers_are_refused(lat, lon):
    with pytest.raises(AppError) as refused:
        point(lat, lon)
    assert refused.value.code == "invalid-coordinates" and refused.value.zh

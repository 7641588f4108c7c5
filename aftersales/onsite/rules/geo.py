"""Distances without the internet: where a site is, and how far it is from a city or a centre.

Places (service centres, county-level and larger cities) carry coordinates shipped as data. The
distance between two points is the great-circle distance on a sphere of the mean Earth radius
(6,371.0088 km, the IUGG figure), by the haversine formula. Against the WGS-84 ellipsoid its error
is at most about 0.5 % (0.4 km at 80 km); it is a straight line, so the road is longer. The terms
speak of "the distance", not a road route: the straight line is the figure both sides can check.
Where staff have measured the route a visit will take, the distance they enter wins (the visit
records which it used).

Distances are Decimals rounded half-up to 10 metres, so a boundary (40 km, 80 km) is compared
exactly as it is shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from aftersales.core.errors import AppError

EARTH_RADIUS_KM = 6371.0088
TEN_METRES = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name_en: str
    name_zh: str
    at: Point


def _degrees(value, low: int, high: int, en: str, zh: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        number = Decimal("NaN")
    else:
        try:
            number = Decimal(value.strip() if isinstance(value, str) and len(value) < 32 else value)
        except InvalidOperation:
            number = Decimal("NaN")
    if not number.is_finite() or not low <= number <= high:
        raise AppError("invalid-coordinates", f"The {en} must be a number from {low} to {high}.",
                       f"{zh}必须是 {low} 到 {high} 之间的数字。")
    return float(number)


def point(lat, lon) -> Point:
    """A point from latitude and longitude in degrees, written as text or Decimals."""
    return Point(_degrees(lat, -90, 90, "latitude", "纬度"), _degrees(lon, -180, 180, "longitude", "经度"))


def great_circle_km(a: Point, b: Point) -> Decimal:
    """The haversine distance between ``a`` and ``b``, in km to 10 metres."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi, dlam = phi2 - phi1, math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
    return Decimal(repr(km)).quantize(TEN_METRES, rounding=ROUND_HALF_UP)


def nearest(places: list[Place], at: Point) -> tuple[Place, Decimal] | None:
    """The place closest to ``at`` and its distance; ``None`` when there is none."""
    best = None
    for place in places:
        km = great_circle_km(place.at, at)
        if best is None or km < best[1]:
            best = (place, km)
    return best

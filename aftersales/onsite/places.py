"""Where things are: a centre's point, and the county-level (or larger) city nearest a site.

The nearest city is looked for first in a band of latitude around the site (the index
``city_by_latitude``), wide enough for the free on-site area; only when the band holds no city is
the whole region read.
"""

from __future__ import annotations

from decimal import Decimal

from aftersales.centres.models import City, ServiceCentre
from aftersales.core.errors import AppError
from aftersales.onsite.rules.geo import Place, Point, nearest, point

KM_PER_DEGREE_OF_LATITUDE = Decimal("111.2")


def centre_point(centre: ServiceCentre) -> Point:
    if centre.latitude is None or centre.longitude is None:
        raise AppError("centre-not-placed", "This service centre has no location on record, so distances to a site "
                                            "cannot be worked out. Ask the centre to book the visit by phone.",
                       "该服务中心没有登记位置，无法计算到上门地点的距离。请联系服务中心电话预约上门。", status=409)
    return point(centre.latitude, centre.longitude)


def _places(rows) -> list[Place]:
    return [Place(c.code, c.name_en, c.name_zh, point(c.latitude, c.longitude)) for c in rows]


def nearest_city(region: str, at: Point, *, within_km: Decimal) -> tuple[City, Decimal] | None:
    """The city nearest ``at`` in ``region`` and its distance; ``None`` when the region has none."""
    band = within_km / KM_PER_DEGREE_OF_LATITUDE + 1
    lat = Decimal(repr(at.lat))
    rows = list(City.objects.filter(region=region, latitude__gte=lat - band, latitude__lte=lat + band))
    found = nearest(_places(rows), at)
    if found is None or found[1] > within_km:
        rows = list(City.objects.filter(region=region))
        found = nearest(_places(rows), at)
    if found is None:
        return None
    place, km = found
    return next(c for c in rows if c.code == place.code), km

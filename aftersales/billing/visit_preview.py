"""The optional ``visit`` of a fee-preview line: the trip fee of an on-site visit, priced by the
pack's visit terms (``billing.rules.trip``).

``visit: {"distance_km": "25", "evening": false, "machines": 1, "free_onsite": false}`` —
``distance_km`` from the service centre, a decimal string (or whole number) of at most two
places; ``evening`` and ``free_onsite`` true or false (default false); ``machines`` a whole
number from 1 (default 1): one trip fee however many. The output gains ``trip_fee`` ("0.00" when
the trip is free) and ``total`` includes it. A distance whose fee is agreed by a person is an
error line (``trip-fee-agreed-by-hand``): the preview never invents that price.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from aftersales.billing.rules.pricing import PricingError
from aftersales.billing.rules.trip import Trip, trip_fee
from aftersales.core.jsonl import shown
from aftersales.policy.pack import Pack
from aftersales.policy.visits import DISTANCE_LIMIT

MACHINES_LIMIT = 1000
_FIELDS = {"distance_km", "evening", "machines", "free_onsite"}


def _refused(code: str, en: str, zh: str, field: str) -> PricingError:
    return PricingError(code, en, zh, field=f"visit.{field}")


def _distance(value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int)) or (isinstance(value, str) and len(value) > 32):
        raise _refused("invalid-distance", 'distance_km must be a number of kilometres written as text, such as "25".',
                       "distance_km 必须是以文本书写的公里数，例如“25”。", "distance_km")
    try:
        km = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        km = Decimal("NaN")
    if not km.is_finite() or "e" in str(value).lower() or km != km.quantize(Decimal("0.01")):
        raise _refused("invalid-distance", f"distance_km {shown(value)} is not a distance in km to at most two "
                                           f"decimals.", f"distance_km {shown(value)} 不是最多两位小数的公里数。",
                       "distance_km")
    if km < 0:
        raise _refused("distance-negative", "distance_km cannot be negative.", "distance_km 不能为负数。",
                       "distance_km")
    if km > DISTANCE_LIMIT:
        raise _refused("invalid-distance", "distance_km is more than any site can be from a centre (20,000 km).",
                       "distance_km 超出了任何地点与服务中心之间可能的距离（20,000 公里）。", "distance_km")
    return km


def _flag(visit: dict, field: str) -> bool:
    value = visit.get(field, False)
    if not isinstance(value, bool):
        raise _refused("invalid-request", f"visit.{field} must be true or false.",
                       f"visit.{field} 必须为 true 或 false。", field)
    return value


def _machines(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MACHINES_LIMIT:
        raise _refused("invalid-machines", f"visit.machines must be a whole number from 1 to {MACHINES_LIMIT}.",
                       f"visit.machines 必须是 1 到 {MACHINES_LIMIT} 的整数。", "machines")
    return value


def visit_trip(raw) -> Trip:
    """Validate a line's ``visit``."""
    if not isinstance(raw, dict):
        raise PricingError("invalid-request", "visit must be an object.", "visit 必须是对象。", field="visit")
    unknown = set(raw) - _FIELDS
    if unknown:
        name = shown(sorted(unknown)[0])
        raise PricingError("invalid-request", f"visit has no field {name}.", f"visit 没有字段 {name}。", field="visit")
    if "distance_km" not in raw:
        raise _refused("invalid-distance", "visit.distance_km is required.", "visit.distance_km 为必填项。",
                       "distance_km")
    return Trip(_distance(raw["distance_km"]), _flag(raw, "evening"), _machines(raw.get("machines", 1)),
                _flag(raw, "free_onsite"))


def trip_amount(pack: Pack, region: str, trip: Trip) -> Decimal:
    """The trip fee of ``trip`` by ``pack``'s visit terms in ``region``."""
    terms = pack.visits
    if terms is None or region not in terms.regions:
        raise PricingError("no-visit-terms", f"No on-site visit fees are published for {region}.",
                           f"{region} 没有公布上门服务收费标准。", field="region", status=422)
    fee = trip_fee(terms, trip)
    if fee.agreed_by_hand:
        raise _refused("trip-fee-agreed-by-hand", f"{fee.en}", f"{fee.zh}", "distance_km")
    return fee.amount

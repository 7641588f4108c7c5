"""Who pays for a technician's trip, and how much (desktop terms §6, the paid-service fee table
and the evening fee table; the figures are the pack's ``[visits]``, see ``policy.visits``).

- Free on-site: the warranty decision says the fault is on-site eligible (in-warranty hardware
  inside the on-site period), the site is within the free area of the nearest county-level city,
  and the parts are the original configuration. Anything else is offered carry-in (the repair is
  still free when it is covered) or a paid visit.
- A free on-site visit pays no trip fee, and neither does carry-in; but only by day: evening
  visits are always paid.
- A paid day visit costs the day fee within the day radius of the centre; beyond it the price is
  agreed by a person, never invented here.
- An evening visit costs its tier's fee by distance from the centre; beyond the last tier, agreed.
- One trip fee per visit to one site, however many machines the technician sees there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from aftersales.core.money import CURRENCY_NAMES_ZH
from aftersales.policy.visits import VisitTerms


@dataclass(frozen=True, slots=True)
class Trip:
    distance_km: Decimal  # from the service centre to the site
    evening: bool
    machines: int = 1
    free_onsite: bool = False


@dataclass(frozen=True, slots=True)
class TripFee:
    """``amount`` is None when a person must agree the price with the customer."""

    amount: Decimal | None
    currency: str
    clause: str
    en: str
    zh: str

    @property
    def agreed_by_hand(self) -> bool:
        return self.amount is None


@dataclass(frozen=True, slots=True)
class Offer:
    """Whether a visit is free, and if not, why, in both languages."""

    free: bool
    clause: str
    en: str
    zh: str


ZERO = Decimal("0.00")


def is_evening(terms: VisitTerms, starts: dt.time) -> bool:
    """A visit starting from the evening's start up to, not including, its end is an evening visit."""
    return terms.evening_from <= starts < terms.evening_until


def _money(terms: VisitTerms, value: Decimal) -> tuple[str, str]:
    return f"{value} {terms.currency}", f"{value} {CURRENCY_NAMES_ZH.get(terms.currency, terms.currency)}"


def _machines(trip: Trip) -> tuple[str, str]:
    if trip.machines < 2:
        return "", ""
    return (f" One trip fee covers all {trip.machines} machines at this site.",
            f"同一地点一次上门的 {trip.machines} 台机器只收一笔上门费。")


def trip_fee(terms: VisitTerms, trip: Trip) -> TripFee:
    if trip.evening:
        return _evening_fee(terms, trip)
    if trip.free_onsite:
        return TripFee(ZERO, terms.currency, terms.area_clause, "This visit is free of charge under the warranty.",
                       "本次上门属于保修范围内的免费上门服务。")
    km = trip.distance_km
    if km > terms.day_within_km:
        return TripFee(None, terms.currency, terms.fee_clause,
                       f"The site is {km} km from the service centre, beyond {terms.day_within_km} km: "
                       f"the centre agrees the trip fee with you before the visit.",
                       f"上门地点距服务中心 {km} 公里，超过 {terms.day_within_km} 公里："
                       f"上门费由服务中心在上门前与您协商确定。")
    en, zh = _money(terms, terms.day_fee)
    more_en, more_zh = _machines(trip)
    return TripFee(terms.day_fee, terms.currency, terms.fee_clause,
                   f"Trip fee for a day visit within {terms.day_within_km} km of the service centre: {en}.{more_en}",
                   f"服务中心 {terms.day_within_km} 公里内的白天上门费：{zh}。{more_zh}")


def _evening_fee(terms: VisitTerms, trip: Trip) -> TripFee:
    hours = f"{terms.evening_from:%H:%M}–{terms.evening_until:%H:%M}"
    km = trip.distance_km
    tier = next((t for t in terms.evening_tiers if km <= t.within_km), None)
    if tier is None:
        last = terms.evening_tiers[-1].within_km
        return TripFee(None, terms.currency, terms.evening_clause,
                       f"Evening visits ({hours}) beyond {last} km of the service centre are priced by agreement: "
                       f"the centre agrees the fee with you before the visit.",
                       f"晚间（{hours}）上门地点距服务中心超过 {last} 公里的，上门费由服务中心在上门前与您协商确定。")
    en, zh = _money(terms, tier.fee)
    more_en, more_zh = _machines(trip)
    return TripFee(tier.fee, terms.currency, terms.evening_clause,
                   f"Evening visits ({hours}) are always paid; up to {tier.within_km} km from the service centre "
                   f"the trip fee is {en}.{more_en}",
                   f"晚间（{hours}）上门一律收费；距服务中心 {tier.within_km} 公里以内，上门费为 {zh}。{more_zh}")


def onsite_offer(terms: VisitTerms, *, onsite_eligible: bool, km_to_city: Decimal | None,
                 original_parts: bool) -> Offer:
    """Free on-site, or carry-in and a paid visit, with the first reason that rules it out."""
    clause = terms.area_clause
    if not onsite_eligible:
        return Offer(False, clause, "This fault is not covered for free on-site repair: you can bring the device "
                                    "in, or book a paid visit.",
                     "此故障不在免费上门服务范围内：您可以送修，或预约付费上门。")
    if not original_parts:
        return Offer(False, clause, "Free on-site repair is for the original parts only: you can bring the device "
                                    "in, or book a paid visit.",
                     "免费上门服务仅限原厂配置的部件：您可以送修，或预约付费上门。")
    if km_to_city is None:
        return Offer(False, clause, "We could not place the site near a county-level city, so free on-site repair "
                                    "cannot be confirmed: bring the device in for a free repair, or book a paid visit.",
                     "无法确认上门地点附近的县级（含）以上城市，因此无法确认免费上门：您可以送修享受免费维修，或预约付费上门。")
    if km_to_city > terms.free_within_km:
        return Offer(False, clause,
                     f"The site is {km_to_city} km from the nearest county-level city; free on-site repair reaches "
                     f"{terms.free_within_km} km. Bring the device in for a free repair, or book a paid visit.",
                     f"上门地点距最近的县级（含）以上城市 {km_to_city} 公里，"
                     f"免费上门服务范围为 {terms.free_within_km} 公里以内。"
                     f"您可以送修享受免费维修，或预约付费上门。")
    return Offer(True, clause, "A technician can come to you by day, free of charge.", "可安排工程师白天免费上门维修。")

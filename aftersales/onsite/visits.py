"""Booking, moving and cancelling visits.

A visit is for one site and covers one or more repair cases of one service centre (one line per
device and case), all booked for on-site service. It is booked into a technician's free time at
a start the slot finder offers; the trip fee follows from the pack's visit terms (``rules.trip``)
and is kept on the visit with its explanation. Each change is written on every case's timeline.

No technician is ever booked twice: the booking checks the calendar, and the database refuses
an overlap that slips between two bookings (PostgreSQL's exclusion constraint; SQLite's write
lock taken at the start of the transaction), which comes back as ``slot-taken``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction

from aftersales.accounts.roles import STAFF_SIDE, require, roles_of
from aftersales.accounts.scope import may_act_at
from aftersales.billing.rules.trip import Trip, TripFee, is_evening, onsite_offer, trip_fee
from aftersales.core.errors import AppError, Conflict, NotFound
from aftersales.onsite import timeline
from aftersales.onsite.calendars import PLAN, calendars
from aftersales.onsite.entitlements import entitlement_give_back, entitlement_use
from aftersales.onsite.models import Purpose, Visit, VisitLine, VisitStatus
from aftersales.onsite.places import centre_point, nearest_city
from aftersales.onsite.rules.geo import great_circle_km, point
from aftersales.onsite.rules.slots import minute, technician_starts
from aftersales.policy.pack import Pack
from aftersales.policy.visits import DISTANCE_LIMIT, VisitTerms
from aftersales.repairs.models import Case, Kind
from aftersales.repairs.services import refuse_out_of_reach
from aftersales.repairs.status import Status


@dataclass(frozen=True, slots=True)
class Site:
    address: str
    latitude: str | Decimal
    longitude: str | Decimal
    measured_km: Decimal | None = None  # the route from the centre, when staff measured it


def _terms(pack: Pack, centre) -> VisitTerms:
    if pack.visits is None or centre.region not in pack.visits.regions:
        raise AppError("no-visits-here", "On-site visits are not offered in this region; please bring the device to "
                                         "the service centre.", "该地区不提供上门服务，请将产品送至服务中心。",
                       status=409)
    return pack.visits


def _vip_visit(cases: list[Case], purpose: str, pack: Pack, day: dt.date) -> dict[str, bool]:
    """Take the entitlement's use: a VIP visit is for one device, and the trip is free by day."""
    if len(cases) != 1 or cases[0].device is None:
        raise AppError("vip-visit-one-device", "A VIP visit is for one registered device.",
                       "VIP 上门服务仅针对一台已登记的产品。", field="cases")
    case = cases[0]
    entitlement_use(case.device, purpose, purchased_on=case.purchased_on, pack=pack, day=day)
    return {case.number: True}


def _slot_taken() -> Conflict:
    return Conflict("slot-taken", "That time was just taken. Please choose another.",
                    "该时段刚刚已被预约，请另选时间。", field="starts_at")


def _cases(numbers: list[str]) -> list[Case]:
    if not numbers:
        raise AppError("no-machines", "A visit needs at least one repair case.", "上门服务至少需要一张维修单。")
    cases = list(Case.objects.select_for_update(of=("self",)).select_related("centre", "device").filter(number__in=numbers))
    if len(cases) != len(set(numbers)):
        raise NotFound("unknown-case", "One of the cases does not exist.", "其中一张维修单不存在。", field="cases")
    if len({c.centre_id for c in cases}) != 1:
        raise AppError("cases-of-several-centres", "The machines of one visit must be cases of one service centre.",
                       "同一次上门的机器必须属于同一服务中心的维修单。", field="cases")
    if any(c.kind != Kind.ONSITE or c.status != Status.BOOKED for c in cases):
        raise Conflict("case-not-for-a-visit", "Only cases booked for on-site service and not yet started can be "
                                               "given a visit.", "只有预约了上门服务且尚未开始的维修单才能安排上门。",
                       field="cases")
    taken = VisitLine.objects.filter(case__in=cases, visit__status__in=(VisitStatus.BOOKED, VisitStatus.ON_SITE))
    if taken.exists():
        raise Conflict("case-has-a-visit", "One of these cases already has a visit booked; move that visit instead.",
                       "其中一张维修单已经安排了上门，请改约该次上门。", field="cases")
    return cases


def _check_slot(centre, technician: int, starts_at: dt.datetime, terms: VisitTerms, evening: bool,
                ignore_visit: int | None = None) -> None:
    tz = ZoneInfo(centre.timezone)
    local = starts_at.astimezone(tz)
    if is_evening(terms, local.time()) != evening:
        raise AppError("slot-not-offered", "That start time is not offered for this kind of visit.",
                       "该上门类型不提供这个开始时间。", field="starts_at")
    cals = calendars(centre, local.date(), local.date(), technician=technician, ignore_visit=ignore_visit)
    at = minute(starts_at)
    if cals and at in technician_starts(cals[0], **PLAN.minutes()):
        return
    unbooked = cals and at in technician_starts(replace(cals[0], blocked=()), **PLAN.minutes())
    if not unbooked:
        raise AppError("slot-not-offered", "The technician does not work at that time.",
                       "工程师在该时间不上班。", field="starts_at")
    raise _slot_taken()


def _free_technician(centre, starts_at: dt.datetime, keep: int | None = None, ignore_visit: int | None = None) -> int:
    """``keep`` when they are free at ``starts_at``, else the first technician who is."""
    day = starts_at.astimezone(ZoneInfo(centre.timezone)).date()
    at = minute(starts_at)
    free = [c.technician for c in calendars(centre, day, day, ignore_visit=ignore_visit)
            if at in technician_starts(c, **PLAN.minutes())]
    if not free:
        raise _slot_taken()
    return keep if keep in free else free[0]


def _measured(km) -> Decimal:
    if not isinstance(km, Decimal) or not km.is_finite() or not 0 <= km <= DISTANCE_LIMIT:
        raise AppError("invalid-distance", "The measured distance must be from 0 to 20,000 km.",
                       "实测距离必须在 0 到 20,000 公里之间。", field="measured_km")
    return km.quantize(Decimal("0.01"))


def _not_past(starts_at: dt.datetime, now: dt.datetime) -> None:
    if starts_at < now:
        raise AppError("slot-in-the-past", "That time has already passed; choose a later one.",
                       "该时间已经过去，请选择更晚的时间。", field="starts_at")


def _where(centre, site: Site, terms: VisitTerms):
    at = point(site.latitude, site.longitude)
    km = _measured(site.measured_km) if site.measured_km is not None else great_circle_km(centre_point(centre), at)
    city = nearest_city(centre.region, at, within_km=terms.free_within_km)
    return at, km, city


def _free_onsite(terms: VisitTerms, cases: list[Case], km_to_city, eligible: dict) -> bool:
    """Free by day when any machine at the site is free on-site: the trip is made for it anyway."""
    return any(onsite_offer(terms, onsite_eligible=eligible.get(c.number, False), km_to_city=km_to_city,
                            original_parts=True).free for c in cases)


def _explained(fee: TripFee) -> dict:
    return {"en": fee.en, "zh": fee.zh, "clause": fee.clause}


def _save(visit: Visit) -> Visit:
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError as exc:
        if "not_double_booked" in str(exc):
            raise _slot_taken() from exc
        raise
    return visit


@transaction.atomic
def visit_book(*, numbers: list[str], technician: int | None, starts_at: dt.datetime, evening: bool, site: Site,
               pack: Pack, onsite_eligible: dict[str, bool], actor, now: dt.datetime,
               purpose: str = Purpose.REPAIR) -> Visit:
    """Book ``technician`` at ``starts_at`` for the cases ``numbers``, on the visit terms of ``pack``
    (the terms governing the cases' devices). ``onsite_eligible``: per case, whether the warranty
    decision makes its fault free on-site. A VIP visit (cleaning, software) takes one use of the
    device's entitlement and is free by day. ``technician`` None: whoever is free then."""
    require(actor, "visit.book")
    cases = _cases(numbers)
    for case in cases:  # staff book visits only for the cases of their own centres
        refuse_out_of_reach(case, actor)
    centre = cases[0].centre
    terms = _terms(pack, centre)
    _not_past(starts_at, now)
    if purpose != Purpose.REPAIR:
        onsite_eligible = _vip_visit(cases, purpose, pack, starts_at.astimezone(ZoneInfo(centre.timezone)).date())
    at, km, city = _where(centre, site, terms)
    technician = technician if technician is not None else _free_technician(centre, starts_at)
    _check_slot(centre, technician, starts_at, terms, evening)
    free = _free_onsite(terms, cases, city[1] if city else None, onsite_eligible)
    fee = trip_fee(terms, Trip(km, evening, len(cases), free))
    visit = _save(Visit(
        centre=centre, technician_id=technician, purpose=purpose, starts_at=starts_at,
        arrives_by=starts_at + PLAN.window, ends_at=starts_at + PLAN.length,
        blocked_until=starts_at + PLAN.length + PLAN.travel, evening=evening, address=site.address.strip(),
        city=city[0] if city else None, latitude=Decimal(repr(at.lat)), longitude=Decimal(repr(at.lon)),
        km_from_centre=km, km_measured=site.measured_km is not None, km_to_city=city[1] if city else None,
        free_onsite=free, trip_fee=fee.amount, currency=fee.currency, fee_explanation=_explained(fee),
        created_at=now, created_by=actor))
    VisitLine.objects.bulk_create([VisitLine(visit=visit, case=c) for c in cases])
    for case in cases:
        timeline.visit_booked(case, visit, now, actor)
    return visit


def _live_visit(public_id, actor) -> Visit:
    """The booked visit, if ``actor`` may act at its centre (a visit of another centre answers as
    if it did not exist)."""
    visit = Visit.objects.select_for_update().select_related("centre").filter(public_id=public_id).first()
    if visit is None or not may_act_at(actor, visit.centre_id):
        raise NotFound("unknown-visit", "No such visit.", "没有这次上门记录。")
    if visit.status != VisitStatus.BOOKED:
        raise Conflict("visit-not-movable", "This visit has started or ended; it can no longer be changed.",
                       "这次上门已经开始或结束，不能再更改。")
    return visit


def _changing(actor, *, reassigning: bool) -> str:
    """The action changing a booked visit needs: a customer moves or cancels their own visit
    (``visit.book``, the portal having checked whose it is); on the staff side only those who
    manage visits may, and only they choose who goes (``visit.manage``)."""
    return "visit.manage" if reassigning or roles_of(actor) & STAFF_SIDE else "visit.book"


@transaction.atomic
def visit_move(*, public_id, technician: int | None, starts_at: dt.datetime, evening: bool, pack: Pack, actor,
               now: dt.datetime) -> Visit:
    """Reschedule or reassign a booked visit (or both); the trip fee is worked out again when the
    evening rate starts or stops applying. Customers may move their visit; only staff choose who goes
    (``technician`` None: the same technician if free then, else whoever is)."""
    visit = _live_visit(public_id, actor)
    require(actor, _changing(actor, reassigning=technician not in (None, visit.technician_id)))
    if technician is None:
        technician = _free_technician(visit.centre, starts_at, keep=visit.technician_id, ignore_visit=visit.pk)
    terms = _terms(pack, visit.centre)
    _not_past(starts_at, now)
    _check_slot(visit.centre, technician, starts_at, terms, evening, ignore_visit=visit.pk)
    before = (visit.technician_id, visit.starts_at)
    visit.technician_id, visit.starts_at, visit.arrives_by = technician, starts_at, starts_at + PLAN.window
    visit.ends_at, visit.blocked_until = starts_at + PLAN.length, starts_at + PLAN.length + PLAN.travel
    if evening != visit.evening:
        fee = trip_fee(terms, Trip(visit.km_from_centre, evening, visit.lines.count(), visit.free_onsite))
        visit.evening, visit.trip_fee, visit.fee_agreed_by = evening, fee.amount, None
        visit.fee_explanation = _explained(fee)
    _save(visit)
    for line in visit.lines.select_related("case"):
        timeline.visit_moved(line.case, visit, before, now, actor)
    return visit


@transaction.atomic
def visit_cancel(*, public_id, reason: str, actor, now: dt.datetime) -> Visit:
    require(actor, _changing(actor, reassigning=False))
    visit = _live_visit(public_id, actor)
    visit.status = VisitStatus.CANCELLED
    visit.save(update_fields=["status"])
    if visit.purpose != Purpose.REPAIR:
        line = visit.lines.select_related("case__device").first()
        entitlement_give_back(line.case.device, visit.purpose)
    for line in visit.lines.select_related("case"):
        timeline.visit_cancelled(line.case, visit, reason, now, actor)
    return visit

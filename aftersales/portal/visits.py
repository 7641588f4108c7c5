"""The customer's on-site visit pages: book a visit for an on-site case, see when the technician
arrives and what the trip costs, move it, or cancel it — on a phone as on a desktop.

The case opens as the case page does (its number with the contact on file, or the customer's
account). Times offered are the technicians' free starts for the next two weeks, by day or in
the evening (always paid); the customer's site is a city or district of the centre's region,
or coordinates when they have them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from aftersales.centres.models import City
from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.core.ratelimit import with_retry_after
from aftersales.onsite.eligibility import case_pack, likely_part, visit_purpose
from aftersales.onsite.offers import slots_offered
from aftersales.onsite.places import centre_point
from aftersales.onsite.rules.geo import great_circle_km, point
from aftersales.onsite.rules.slots import minute, moment
from aftersales.onsite.timeline import arrival
from aftersales.onsite.visits import Site, visit_book, visit_cancel, visit_move
from aftersales.portal.case_visit import live_visit
from aftersales.portal.cases import opened_case
from aftersales.portal.throttle import BOOKINGS, throttle
from aftersales.portal.visit_forms import VisitForm
from aftersales.repairs.models import Kind
from aftersales.repairs.numbers import display
from aftersales.repairs.status import Status

DAYS = 14


def _symptoms(pack, zh: bool):
    return [(key, s.zh if zh else s.en) for key, s in pack.symptoms.items()]


def _cities(centre, zh: bool):
    """The region's cities, nearest the centre first, with their distance from it."""
    here = centre_point(centre)
    rows = [(great_circle_km(here, point(c.latitude, c.longitude)), c)
            for c in City.objects.filter(region=centre.region)]
    return [(c.code, f"{c.name('zh' if zh else 'en')} · {km.quantize(Decimal(1))} km") for km, c in sorted(
        rows, key=lambda r: r[0])]


def _slots(case, pack, evening: bool, now: dt.datetime):
    offered = slots_offered(case.centre, pack.visits, now=now, days=DAYS, evening=evening)
    return [(str(minute(o.starts_at)), o) for o in offered]


def _slot_choices(slots, zh: bool):
    out = []
    for value, o in slots:
        day = (f"{o.local_start.month}月{o.local_start.day}日 周{'一二三四五六日'[o.local_start.weekday()]}" if zh
               else f"{o.local_start:%a} {o.local_start.day} {o.local_start:%b}")
        out.append((value, f"{day} {o.local_start:%H:%M}–{o.local_arrival_by:%H:%M}"))
    return out


def _site(form, case) -> Site:
    data = form.cleaned_data
    if data.get("latitude"):
        return Site(data["address"], data["latitude"], data["longitude"])
    city = City.objects.filter(code=data["city"], region=case.centre.region).first()
    return Site(f"{data['address']}, {city.name(get_language())}", city.latitude, city.longitude)


def _context(case, form, evening: bool, visit):
    zh = get_language().startswith("zh")
    return {"case": case, "number": display(case.number), "form": form, "evening": evening, "visit": visit,
            "arrival": arrival(visit)[1 if zh else 0] if visit else "", "zh": zh,
            "fee": (visit.fee_explanation.get("zh" if zh else "en") if visit else "")}


@require_http_methods(["GET", "POST"])
def case_visit(request, number: str):
    case = opened_case(request, number)
    now = clock.now()
    zh = get_language().startswith("zh")
    day = now.astimezone(ZoneInfo(case.centre.timezone)).date()
    pack = case_pack(case, day)
    if case.kind != Kind.ONSITE or pack is None or pack.visits is None:
        return render(request, "portal/visit_unavailable.html", {"case": case, "number": display(case.number)})
    visit = live_visit(case)
    if visit is None and case.status != Status.BOOKED:
        return redirect("portal:case", number=case.number)
    evening = (request.POST or request.GET).get("evening") == "1"
    slots = _slots(case, pack, evening, now)
    form = VisitForm(request.POST or None, symptoms=_symptoms(pack, zh), cities=_cities(case.centre, zh),
                     slots=_slot_choices(slots, zh), moving=visit is not None)
    status, error = 200, None
    if request.method == "POST" and form.is_valid():
        starts_at = moment(int(form.cleaned_data["slot"]))
        actor = request.user if request.user.is_authenticated else None
        try:
            throttle(request, BOOKINGS)
            if visit is None:
                eligible, purpose = visit_purpose(case, likely_part(pack, form.cleaned_data["symptom"]), day)
                visit_book(numbers=[case.number], technician=None, starts_at=starts_at, evening=evening,
                           site=_site(form, case), pack=pack, actor=actor, now=now,
                           onsite_eligible={case.number: eligible}, purpose=purpose)
            else:
                visit_move(public_id=visit.public_id, technician=None, starts_at=starts_at, evening=evening,
                           pack=pack, actor=actor, now=now)
        except AppError as exc:
            form.add_app_error(exc, get_language())
            status, error = exc.status, exc
        else:
            return redirect("portal:case", number=case.number)
    elif request.method == "POST":
        status = 400
    response = render(request, "portal/visit.html", _context(case, form, evening, visit), status=status)
    return with_retry_after(response, error)


@require_POST
def case_visit_cancel(request, number: str):
    case = opened_case(request, number)
    visit = live_visit(case)
    if visit is not None:
        actor = request.user if request.user.is_authenticated else None
        try:
            visit_cancel(public_id=visit.public_id, reason="", actor=actor, now=clock.now())
        except AppError as exc:  # it started meanwhile
            messages.error(request, exc.message(get_language()))
        else:
            messages.success(request, _("Your visit is cancelled."))
    return redirect("portal:case", number=case.number)

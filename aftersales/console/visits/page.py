"""One visit on one page: when and where, who goes, the machines (one line per case) with their VIP
counters, the trip fee, and the forms the reader's roles may use at the visit's step.

A visit of a centre the reader does not read answers 404, as a case does. Times are in the
centre's time zone.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aftersales.accounts.guards import action_required
from aftersales.accounts.roles import user_can
from aftersales.accounts.scope import readable_centres
from aftersales.console.visits import forms as f
from aftersales.core import clock
from aftersales.disputes.selectors import accelerated
from aftersales.onsite.eligibility import case_pack
from aftersales.onsite.entitlements import device_entitlements
from aftersales.onsite.models import Purpose, Visit, VisitStatus, WorkingHours
from aftersales.onsite.offers import slots_offered
from aftersales.onsite.rules.slots import minute
from aftersales.onsite.rules.vip import CLEANING
from aftersales.onsite.timeline import WEEKDAYS_ZH, arrival
from aftersales.repairs.numbers import display
from aftersales.repairs.status import status_label

DAYS = 14
FORMS = {"fee": f.FeeForm, "check_in": f.CheckInForm, "check_out": f.CheckOutForm, "cancel": f.CancelForm}


def visit_in_scope(user, public_id) -> Visit:
    centres = readable_centres(user)
    visits = Visit.objects.select_related("centre", "technician", "city")
    if centres is not None:
        visits = visits.filter(centre_id__in=sorted(centres))
    visit = visits.filter(public_id=public_id).first()
    if visit is None:
        raise Http404(str(public_id))
    return visit


def person(user) -> str:
    return user.get_full_name() or user.get_username()


def technicians(centre) -> list[tuple[int, str]]:
    rows = WorkingHours.objects.filter(centre=centre).select_related("technician").order_by("technician_id")
    found = {h.technician_id: person(h.technician) for h in rows}
    return sorted(found.items(), key=lambda p: (p[1], p[0]))


def _when(local: dt.datetime, zh: bool) -> str:
    if zh:
        return f"{local.month}月{local.day}日 周{WEEKDAYS_ZH[local.weekday()]} {local:%H:%M}"
    return f"{local:%a} {local.day} {local:%b} {local:%H:%M}"


def slot_choices(visit: Visit, pack, now: dt.datetime, zh: bool) -> list:
    """The offered starts by day and in the evening, as grouped choices."""
    if pack is None or pack.visits is None:
        return []
    groups = []
    for evening, title in ((False, _("By day")), (True, _("Evening (paid)"))):
        offered = slots_offered(visit.centre, pack.visits, now=now, days=DAYS, evening=evening)
        choices = [(f"{minute(o.starts_at)}:{int(evening)}",
                    f"{_when(o.local_start, zh)}–{o.local_arrival_by:%H:%M}") for o in offered]
        if choices:
            groups.append((title, choices))
    return groups


def _vip(case, pack) -> list[dict]:
    """The device's VIP visits: how many are left of how many, and until when."""
    if case.device is None:
        return []
    return [{"name": _("On-site cleaning") if e.kind == CLEANING else _("Software visit"), "remaining": e.remaining,
             "total": e.total, "until": e.until} for e in device_entitlements(case.device, case.purchased_on, pack)]


def _lines(visit: Visit, day: dt.date) -> tuple[list[dict], object]:
    """The visit's machines, the repairs executive care accelerated first (marked), then in the
    order they were booked; the pack is the last booked one's, whatever the order shown."""
    lines, pack = [], None
    rows = visit.lines.select_related("case__centre", "case__device").annotate(priority=accelerated("case"))
    for line in rows.order_by("pk"):
        case = line.case
        pack = case_pack(case, day)
        lines.append({"case": case, "number": display(case.number), "status": status_label(case.status, get_language()),
                      "vip": _vip(case, pack), "priority": line.priority})
    lines.sort(key=lambda line: not line["priority"])  # stable: booking order within each group
    return lines, pack


def _forms(visit: Visit, user, pack, now, zh: bool, bound: dict) -> dict:
    """The forms open to ``user`` at the visit's step (a bound one keeps what was filled in)."""
    booked, on_site = visit.status == VisitStatus.BOOKED, visit.status == VisitStatus.ON_SITE
    manage, work = user_can(user, "visit.manage") and booked, user_can(user, "visit.work")
    negotiated = visit.trip_fee is None or visit.fee_agreed_by_id is not None
    wanted = {"reassign": manage, "reschedule": manage, "fee": manage and negotiated, "cancel": manage,
              "check_in": work and booked, "check_out": work and on_site}
    made = {}
    for key, open_ in wanted.items():
        if not open_:
            continue
        if key in bound:
            made[key] = bound[key]
        elif key == "reassign":
            made[key] = f.ReassignForm(technicians=technicians(visit.centre), current=visit.technician_id)
        elif key == "reschedule":
            made[key] = f.RescheduleForm(slots=slot_choices(visit, pack, now, zh))
        else:
            made[key] = FORMS[key]()
    return made


def visit_context(request, visit: Visit, bound: dict | None = None, error: str = "") -> dict:
    language, now = get_language(), clock.now()
    zh = language.startswith("zh")
    tz = ZoneInfo(visit.centre.timezone)
    lines, pack = _lines(visit, now.astimezone(tz).date())
    return {
        "visit": visit, "centre_tz": visit.centre.timezone, "centre": visit.centre.name(language),
        "arrival": arrival(visit)[1 if zh else 0], "technician": person(visit.technician),
        "status": VisitStatus(visit.status).label, "purpose": Purpose(visit.purpose).label,
        "city": visit.city.name("zh" if zh else "en") if visit.city else "",
        "fee": visit.fee_explanation.get("zh" if zh else "en", ""), "lines": lines,
        "day": visit.starts_at.astimezone(tz).date(), "error": error,
        "forms": _forms(visit, request.user, pack, now, zh, bound or {}),
    }


def render_visit(request, visit: Visit, *, bound: dict | None = None, error: str = "", status: int = 200):
    visit = visit_in_scope(request.user, visit.public_id)  # as it stands now
    return render(request, "console/visits/visit.html", visit_context(request, visit, bound, error), status=status)


@require_GET
@action_required("case.view")
def visit_detail(request, public_id):
    return render_visit(request, visit_in_scope(request.user, public_id))

"""The day board: one centre's technicians (rows) over one day's time slots (columns), with each
visit in its slots as a link to the visit page (its accelerated repairs first and marked), and
absences marked.

The centre and the day are in the address (``?centre=sh-01&day=2026-12-01``), so a board can be
bookmarked and shared; the centre chooser offers only the centres the reader reads, and any other
centre answers 404, as its cases do. Without a day the board shows the centre's today.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from aftersales.accounts.guards import action_required
from aftersales.accounts.scope import readable_centres
from aftersales.centres.models import ServiceCentre
from aftersales.console.visits.page import person
from aftersales.core import clock
from aftersales.disputes.selectors import priority_cases
from aftersales.onsite.day_board import Board, day_board
from aftersales.onsite.timeline import WEEKDAYS_ZH
from aftersales.repairs.numbers import display


def centres_in_reach(user) -> list[ServiceCentre]:
    centres = readable_centres(user)
    rows = ServiceCentre.objects.order_by("code")
    return list(rows if centres is None else rows.filter(pk__in=sorted(centres)))


def _chosen(request, centres: list[ServiceCentre]) -> ServiceCentre | None:
    code = request.GET.get("centre")
    if not code:
        return centres[0] if centres else None
    found = next((c for c in centres if c.code == code), None)
    if found is None:
        raise Http404(code)
    return found


def _day(request, centre: ServiceCentre) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return clock.today_in(centre.timezone)


def _title(day: dt.date, zh: bool) -> str:
    if zh:
        return f"{day.year}年{day.month}月{day.day}日（周{WEEKDAYS_ZH[day.weekday()]}）"
    return f"{day:%A} {day.day} {day:%B %Y}"


def _visit(cell, zh: bool, urgent: set[int]) -> dict:
    """A visit's cell: its cases, the accelerated repairs first and marked (the board is a grid
    of time, so a visit keeps its slot; within it, priority comes first)."""
    visit, tz = cell.visit, cell.starts_at.tzinfo
    local, until = visit.starts_at.astimezone(tz), visit.arrives_by.astimezone(tz)
    cases = sorted(visit.lines.all(), key=lambda line: (line.case_id not in urgent, line.pk))
    return {"visit": visit, "span": cell.span, "window": f"{local:%H:%M}–{until:%H:%M}",
            "numbers": [{"number": display(line.case.number), "priority": line.case_id in urgent} for line in cases],
            "place": visit.city.name("zh" if zh else "en") if visit.city else visit.address}


def _rows(board: Board, zh: bool) -> list[dict]:
    # One query for the whole board's accelerated repairs, beside the board's own (prefetched) lines.
    urgent = priority_cases(line.case_id for row in board.rows for c in row.cells if c.kind == "visit"
                            for line in c.visit.lines.all())
    return [{"name": person(row.technician),
             "cells": [{"kind": c.kind, "span": c.span, "at": c.starts_at,
                        **(_visit(c, zh, urgent) if c.kind == "visit" else {})} for c in row.cells]}
            for row in board.rows]


def _link(centre: ServiceCentre, day: dt.date) -> str:
    return f"{reverse('console:visits')}?{urlencode({'centre': centre.code, 'day': day.isoformat()})}"


@require_GET
@action_required("case.view")
def board(request):
    language = get_language()
    zh = language.startswith("zh")
    centres = centres_in_reach(request.user)
    centre = _chosen(request, centres)
    if centre is None:
        return render(request, "console/visits/board.html", {"centres": [], "centre": None})
    day = _day(request, centre)
    found = day_board(centre, day)
    return render(request, "console/visits/board.html", {
        "centres": [(c.code, c.name(language)) for c in centres], "centre": centre,
        "centre_name": centre.name(language), "day": day, "title": _title(day, zh), "holiday": found.holiday,
        "columns": found.columns, "rows": _rows(found, zh), "centre_tz": centre.timezone,
        "previous": _link(centre, day - dt.timedelta(days=1)), "next": _link(centre, day + dt.timedelta(days=1)),
        "today": _link(centre, clock.today_in(centre.timezone)),
        "visits": sum(1 for row in found.rows for c in row.cells if c.kind == "visit"),
    })

"""What the case page shows of an on-site case's visit (kept apart from the visit pages, which
need the case page's own helpers)."""

from __future__ import annotations

from aftersales.onsite.models import VisitStatus
from aftersales.onsite.timeline import arrival
from aftersales.repairs.models import Kind
from aftersales.repairs.status import Status


def live_visit(case):
    """The case's visit that is booked or under way, if any."""
    line = case.visit_lines.select_related("visit__centre").filter(
        visit__status__in=(VisitStatus.BOOKED, VisitStatus.ON_SITE)).first()
    return line.visit if line else None


def visit_context(case, language: str) -> dict:
    if case.kind != Kind.ONSITE:
        return {"onsite": False}
    visit = live_visit(case)
    if visit is None and case.status != Status.BOOKED:
        return {"onsite": False}
    zh = language.startswith("zh")
    return {"onsite": True, "visit": visit,
            "visit_arrival": arrival(visit)[1 if zh else 0] if visit else "",
            "visit_fee": visit.fee_explanation.get("zh" if zh else "en", "") if visit else ""}

"""Service-level clocks on pages, for any app to include:

- ``{% sla_clock kind="dispute" id=number target="first-answer" %}``: the clock as staff see it
  (time left or overdue, paused, met), with the due moment in the centre's local time;
- ``{% sla_clock_shown view %}``: the same for a clock a list read with its rows (``clocks_due``);
- ``{% sla_due_date kind="dispute" id=number target="first-answer" %}``: the date the customer's
  answer is due, in their words; nothing once the clock has stopped.

Both read the clock once and render nothing for work without that clock.
"""

from __future__ import annotations

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aftersales.core import clock
from aftersales.sla.selectors import ClockView, clock_due

register = template.Library()


def duration_words(seconds: int, *, business: bool) -> str:
    """A span of counted time in the two largest units: "2 days 3 hours", "5 hours 20 minutes".
    Opening hours are told in hours, never in days of 24 of them."""
    minutes = abs(seconds) // 60
    days, hours, mins = (0, minutes // 60, minutes % 60) if business else (
        minutes // 1440, minutes % 1440 // 60, minutes % 60)
    parts = [ngettext("%(n)d day", "%(n)d days", days) % {"n": days} if days else "",
             ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours} if hours else "",
             ngettext("%(n)d minute", "%(n)d minutes", mins) % {"n": mins} if mins else ""]
    shown = [p for p in parts if p][:2]
    return " ".join(shown) if shown else _("less than a minute")


def _offset(view: ClockView) -> str:
    offset = view.due_local.strftime("%z")
    return f"UTC{offset[0].replace('-', '−')}{offset[1:3]}:{offset[3:]}"


def _staff(view: ClockView | None) -> dict:
    if view is None:
        return {"clock": None}
    return {"clock": view, "target": view.target_zh if (get_language() or "").startswith("zh") else view.target_en,
            "left": duration_words(view.remaining, business=view.business_hours),
            "due_day": view.due_local.date() if view.due_local else None,
            "due_time": view.due_local.strftime("%H:%M") if view.due_local else "",
            "offset": _offset(view) if view.due_local else ""}


@register.inclusion_tag("sla/_clock.html")
def sla_clock(*, kind: str, id, target: str) -> dict:
    return _staff(clock_due(subject=(kind, str(id)), target=target, now=clock.now()))


@register.inclusion_tag("sla/_clock.html")
def sla_clock_shown(view: ClockView | None) -> dict:
    """A clock already read with its list (``selectors.clocks_due``), shown as ``sla_clock`` shows it."""
    return _staff(view)


@register.inclusion_tag("sla/_due_date.html")
def sla_due_date(*, kind: str, id, target: str) -> dict:
    view = clock_due(subject=(kind, str(id)), target=target, now=clock.now())
    if view is None or view.stopped:
        return {"clock": None}
    return {"clock": view, "due_day": view.due_local.date() if view.due_local else None}

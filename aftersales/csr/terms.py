"""The self-repair programme's terms in force: the pack that carries them, found by day.

The programme's terms are the ``[self_repair]`` section of a policy pack (North-American notebook
terms). An application is decided by the version in force on its day, and the order records that
version (``Order.pack``), so its reminders keep to the terms it was granted under even after a
newer version takes over. Among several packs with such a section in force on one day, the one
that took effect last decides (the newest terms win).
"""

from __future__ import annotations

import datetime as dt

from aftersales.core.errors import AppError
from aftersales.policy.pack import Pack
from aftersales.policy.self_repair import SelfRepairTerms
from aftersales.warranty.packs import packs_in_force


def programme_pack(day: dt.date) -> Pack:
    """The pack whose self-repair terms are in force on ``day``; refused when none is."""
    found = [p for p in packs_in_force().packs if p.self_repair is not None and p.in_force(day)]
    if not found:
        raise AppError("no-self-repair-terms", f"No self-repair terms are in force on {day.isoformat()}, so no "
                                               f"application can be decided for that day.",
                       f"{day.isoformat()} 没有生效的自助维修条款，因此无法处理该日的申请。", status=422)
    return max(found, key=lambda p: (p.effective_from, p.id))


def order_terms(*, pack: str, applied_on: dt.date) -> SelfRepairTerms:
    """The terms an order was granted under: its recorded pack version, else those of its day."""
    recorded = packs_in_force().by_label(pack) if pack else None
    if recorded is not None and recorded.self_repair is not None:
        return recorded.self_repair
    return programme_pack(applied_on).self_repair


def parts_offered(day: dt.date) -> tuple[str, ...]:
    """The parts the programme sends on ``day``, for the application form; none without terms."""
    try:
        return programme_pack(day).self_repair.parts
    except AppError:
        return ()

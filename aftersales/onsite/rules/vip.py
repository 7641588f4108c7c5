"""The high-end desktop line's VIP entitlements (the VIP service list of the desktop terms).

- Priority: seen first in every queue while the device is in warranty.
- A loaner device until the repair is done (loaners are tracked: issued, then returned).
- One on-site cleaning within the first ``cleaning_months`` (12) from the warranty's start.
- One software on-site visit while the whole unit is in warranty.

Counters are per device: how many of each visit were used. A use needs one left and its period
open; giving one back (a visit cancelled) needs one used. Counters never go below zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from aftersales.core.errors import AppError
from aftersales.policy.visits import VipTerms
from aftersales.warranty.rules.dates import period_end

CLEANING = "cleaning"
SOFTWARE_VISIT = "software-visit"
KINDS = {CLEANING: ("on-site cleaning", "上门清洁"), SOFTWARE_VISIT: ("software on-site visit", "软件上门服务")}


@dataclass(frozen=True, slots=True)
class VipUse:
    cleaning: int = 0
    software_visit: int = 0

    def of(self, kind: str) -> int:
        return self.cleaning if kind == CLEANING else self.software_visit


@dataclass(frozen=True, slots=True)
class Entitlement:
    kind: str
    total: int
    used: int
    until: dt.date | None  # the last day it can be used; None: not at all

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.used)

    def open_on(self, day: dt.date) -> bool:
        return self.remaining > 0 and self.until is not None and day <= self.until


def is_vip(terms: VipTerms | None, line: str) -> bool:
    return terms is not None and line in terms.lines


def entitlements(terms: VipTerms, *, starts_on: dt.date, whole_unit_until: dt.date | None,
                 used: VipUse) -> tuple[Entitlement, Entitlement]:
    """``starts_on``: the warranty's start (purchase, or manufacture without a valid invoice);
    ``whole_unit_until``: the whole unit's last day in warranty."""
    return (Entitlement(CLEANING, terms.cleaning_visits, used.cleaning,
                        period_end(starts_on, terms.cleaning_months)),
            Entitlement(SOFTWARE_VISIT, terms.software_visits, used.software_visit, whole_unit_until))


def _kind(kind: str) -> tuple[str, str]:
    if kind not in KINDS:
        raise AppError("unknown-entitlement", "There is no such VIP service.", "没有这项 VIP 服务。")
    return KINDS[kind]


def use(used: VipUse, entitlement: Entitlement, day: dt.date) -> VipUse:
    """One more use of ``entitlement`` on ``day``."""
    en, zh = _kind(entitlement.kind)
    if entitlement.remaining == 0:
        raise AppError("entitlement-used", f"The {en} included with this device has already been used.",
                       f"本机附带的{zh}已经使用过了。", status=409)
    if entitlement.until is None or day > entitlement.until:
        raise AppError("entitlement-expired", f"The {en} included with this device is no longer available: "
                                              f"its period has ended.", f"本机附带的{zh}已过期，无法使用。", status=409)
    field = "cleaning" if entitlement.kind == CLEANING else "software_visit"
    return replace(used, **{field: used.of(entitlement.kind) + 1})


def give_back(used: VipUse, kind: str) -> VipUse:
    """Undo one use (the visit was cancelled); refused when none was used."""
    en, zh = _kind(kind)
    if used.of(kind) == 0:
        raise AppError("entitlement-not-used", f"No {en} has been used on this device, so none can be returned.",
                       f"本机尚未使用{zh}，无法退回。", status=409)
    field = "cleaning" if kind == CLEANING else "software_visit"
    return replace(used, **{field: used.of(kind) - 1})

"""What a device's VIP service stands at, for staff and the customer to see: the on-site cleaning
and the software on-site visit (how many are left, and until when), and the loaner lent until the
repair is done (the one out on a case, if any).

A read: the counters are the device's ``VipUsage``, the periods those of the pack in force for the
device's line and region of sale on ``day`` (``entitlements.device_entitlements``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aftersales.onsite.entitlements import device_entitlements
from aftersales.onsite.models import Loan
from aftersales.onsite.rules.vip import Entitlement
from aftersales.repairs.models import Case
from aftersales.warranty.models import Device
from aftersales.warranty.packs import packs_in_force


@dataclass(frozen=True, slots=True)
class Standing:
    """One entitlement as a person reads it: ``left`` of ``total``, usable through ``until``."""

    total: int
    left: int
    until: dt.date | None
    open: bool  # one is left and its period runs on the day asked about

    @classmethod
    def of(cls, e: Entitlement, day: dt.date) -> Standing:
        return cls(e.total, e.remaining, e.until, e.open_on(day))


@dataclass(frozen=True, slots=True)
class VipStatus:
    cleaning: Standing
    software: Standing
    loan: Loan | None  # the loaner out on the case asked about


def vip_status(*, device: Device | None, purchased_on: dt.date | None, day: dt.date,
               case: Case | None = None) -> VipStatus | None:
    """The device's VIP service on ``day``; None for a device without one."""
    if device is None:
        return None
    pack = packs_in_force().select(device.product_line, device.sold_in, day)
    found = device_entitlements(device, purchased_on, pack)
    if not found:
        return None
    cleaning, software = found
    loan = None
    if case is not None:
        loan = Loan.objects.select_related("loaner").filter(case=case, returned_at__isnull=True).first()
    return VipStatus(Standing.of(cleaning, day), Standing.of(software, day), loan)


def device_purchase_date(device: Device) -> dt.date | None:
    """The purchase date on the device's newest case that has one: the warranty (and its VIP
    periods) run from it; None when no case gave one (they run from the manufacture date)."""
    case = Case.objects.filter(device=device, purchased_on__isnull=False).order_by("-created_at", "-pk").first()
    return case.purchased_on if case else None

"""A device's VIP entitlements as they stand, and their use by visits.

The high-end desktop line's terms give one on-site cleaning within a year of the warranty's
start and one software on-site visit while the whole unit is in warranty (``rules.vip``). The
warranty starts on the purchase date on a valid invoice, otherwise on the manufacture date (the
general start-date clause); the whole unit's period is the pack's "whole-unit" group for the
device's manufacture date. Uses are counted per device, under a row lock, never below zero.
"""

from __future__ import annotations

import datetime as dt

from aftersales.core.errors import AppError
from aftersales.onsite.models import Purpose, VipUsage
from aftersales.onsite.rules.vip import (
    CLEANING,
    SOFTWARE_VISIT,
    Entitlement,
    VipUse,
    entitlements,
    give_back,
    is_vip,
    use,
)
from aftersales.policy.pack import Pack
from aftersales.warranty.models import Device
from aftersales.warranty.rules.dates import period_end

WHOLE_UNIT = "whole-unit"
BY_PURPOSE = {Purpose.CLEANING: CLEANING, Purpose.SOFTWARE: SOFTWARE_VISIT}


def _used(usage: VipUsage | None) -> VipUse:
    return VipUse(usage.cleaning, usage.software_visit) if usage else VipUse()


def device_entitlements(device: Device, purchased_on: dt.date | None, pack: Pack | None,
                        usage: VipUsage | None = None) -> tuple[Entitlement, ...]:
    """The device's VIP entitlements with what is left of each; empty for a device without any."""
    if pack is None or not is_vip(pack.vip, device.product_line):
        return ()
    line = pack.lines[device.product_line]
    starts_on = purchased_on or device.manufactured_on
    window = line.window(line.coverage, device.manufactured_on)
    whole = next((g for g in window.groups if g.name == WHOLE_UNIT), None) if window else None
    whole_until = period_end(starts_on, whole.months) if whole and whole.months else None
    if usage is None:
        usage = VipUsage.objects.filter(device=device).first()
    return entitlements(pack.vip, starts_on=starts_on, whole_unit_until=whole_until, used=_used(usage))


def _locked_usage(device: Device) -> VipUsage:
    VipUsage.objects.get_or_create(device=device)
    return VipUsage.objects.select_for_update().get(device=device)


def entitlement_use(device: Device, purpose: str, *, purchased_on: dt.date | None, pack: Pack | None,
                    day: dt.date) -> None:
    """Count one use of the entitlement a VIP visit of ``purpose`` on ``day`` takes (call inside the
    booking's transaction; a refusal rolls the booking back)."""
    usage = _locked_usage(device)
    kind = BY_PURPOSE[purpose]
    found = {e.kind: e for e in device_entitlements(device, purchased_on, pack, usage)}
    after = use(_used(usage), _entitlement(found, kind), day)
    usage.cleaning, usage.software_visit = after.cleaning, after.software_visit
    usage.save(update_fields=["cleaning", "software_visit"])


def entitlement_give_back(device: Device, purpose: str) -> None:
    usage = _locked_usage(device)
    after = give_back(_used(usage), BY_PURPOSE[purpose])
    usage.cleaning, usage.software_visit = after.cleaning, after.software_visit
    usage.save(update_fields=["cleaning", "software_visit"])


def _entitlement(found: dict[str, Entitlement], kind: str) -> Entitlement:
    if kind not in found:
        raise AppError("not-a-vip-device", "This device has no VIP visits: they come with the high-end desktops.",
                       "该产品不享有 VIP 上门服务：此服务仅适用于高端台式机。", status=409)
    return found[kind]

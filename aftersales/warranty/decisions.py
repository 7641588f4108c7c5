"""Deciding warranty for a request: resolve the serial, build the facts, ask the engine.

``warranty_decide`` is what the portal, the console and the API call; the batch command uses
the same pieces in bulk (``aftersales.warranty.batch``).
"""

from __future__ import annotations

import datetime as dt

from aftersales.core import clock
from aftersales.warranty.packs import packs_in_force
from aftersales.warranty.registry import device_get
from aftersales.warranty.rules.engine import decide
from aftersales.warranty.rules.facts import Decision, DecisionError, Facts
from aftersales.warranty.rules.intake import DeviceInfo, date_field, facts_from_mapping, normalise_serial
from aftersales.policy.pack import Pack

REGION_TIMEZONES = {"CN": "Asia/Shanghai", "HK": "Asia/Hong_Kong", "MO": "Asia/Macau",
                    "TW": "Asia/Taipei", "US": "America/New_York", "CA": "America/Toronto"}


def today_for(region: str | None) -> dt.date:
    """Dates are calendar dates in the region's time zone (SPEC, Dates)."""
    return clock.today_in(REGION_TIMEZONES.get(region or "", "UTC"))


def resolve_part(data: dict, device: DeviceInfo | None, pack_for) -> str | None:
    """A customer may name a symptom instead of a part: take the first likely part the
    product line has. Returns None when the request names a part itself."""
    symptom = data.get("symptom")
    if not symptom or data.get("part"):
        return None
    line = device.product_line if device else data.get("product_line")
    pack: Pack | None = pack_for(line, device.sold_in if device else data.get("sold_in"))
    if pack is None or symptom not in pack.symptoms:
        raise DecisionError("unknown-symptom", f"Unknown symptom {symptom!r}.", f"未知故障现象 {symptom!r}。",
                            field="symptom")
    terms = pack.lines[line]
    for part in pack.symptoms[symptom].parts:
        if any(part in w.by_part for w in terms.coverage):
            return part
    raise DecisionError("unknown-symptom", "That symptom does not apply to this product.",
                        "该故障现象不适用于此产品。", field="symptom")


def warranty_decide(*, data: dict) -> tuple[Decision, Facts, DeviceInfo | None]:
    device = device_get(serial=data["serial"]) if data.get("serial") else None
    packs = packs_in_force()
    sold_in = device.sold_in if device else data.get("sold_in")
    as_of_default = today_for(data.get("service_in") or sold_in)
    try:
        pack_day = date_field(data, "as_of") or as_of_default
    except DecisionError:
        pack_day = as_of_default  # the facts check below reports the bad date

    def pack_for(line, region):
        return packs.select(line, region, pack_day) if line and region else None

    part = resolve_part(data, device, pack_for)
    facts = facts_from_mapping(data, device, default_as_of=as_of_default, part=part)
    return decide(facts, packs), facts, device


__all__ = ["warranty_decide", "normalise_serial", "today_for"]

"""Deciding warranty for a request: resolve the serial, build the facts, ask the engine.

``warranty_decide`` is what the portal, the console and the API call, with the instant their
operation read from the clock (once); it answers with the decision and the pack that made it,
so that nothing shown with the decision is looked up again. The batch command uses the same
pieces in bulk (``aftersales.warranty.batch``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from aftersales.core import clock
from aftersales.policy.pack import Pack
from aftersales.policy.vocabulary import REGION_TIMEZONES
from aftersales.warranty.packs import packs_in_force
from aftersales.warranty.registry import device_get
from aftersales.warranty.request import date_field, facts_from_mapping
from aftersales.warranty.rules.engine import decide
from aftersales.warranty.rules.facts import Decision, DecisionError, Facts, InvalidInput
from aftersales.warranty.rules.intake import DeviceInfo


def today_for(region: str | None, now: dt.datetime | None = None) -> dt.date:
    """The calendar date in a region at ``now`` (SPEC, Dates: a region's dates are local dates):
    the one place a region's date comes from. Pass the instant the operation read from the
    clock; without one, the clock is read here."""
    instant = now if now is not None else clock.now()
    return instant.astimezone(ZoneInfo(REGION_TIMEZONES.get(region or "", "UTC"))).date()


@dataclass(frozen=True)
class WarrantyAnswer:
    decision: Decision
    facts: Facts
    device: DeviceInfo | None
    pack: Pack  # the pack that decided


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


def warranty_decide(*, data: dict, now: dt.datetime) -> WarrantyAnswer:
    """Decide a request (the API's, the portal's or the console's fields); a request without a
    decision date is decided for today in the region where service is asked."""
    device = device_get(serial=data["serial"]) if data.get("serial") else None
    packs = packs_in_force()
    today = today_for(data.get("service_in") or (device.sold_in if device else data.get("sold_in")), now)
    try:
        pack_day = date_field(data, "as_of") or today
    except InvalidInput:
        pack_day = today  # the facts below report the bad date

    def pack_for(line, region):
        return packs.select(line, region, pack_day) if line and region else None

    part = resolve_part(data, device, pack_for)
    facts = facts_from_mapping(data, device, default_as_of=today, part=part)
    decision = decide(facts, packs)
    return WarrantyAnswer(decision, facts, device, packs.by_label(decision.pack))

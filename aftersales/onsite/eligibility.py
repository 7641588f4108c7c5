"""Whether a case's fault is free on-site, as the warranty engine decides it, and the pack whose
visit terms apply to the case.

A customer booking a visit names what is wrong as one of the pack's symptoms; the part most
likely behind it (the symptom's first part) is what the warranty is asked about, as the
"Check my warranty" page does. The technician's findings on site decide the repair itself.
"""

from __future__ import annotations

import datetime as dt

from aftersales.core.errors import AppError
from aftersales.policy.pack import Pack
from aftersales.repairs.models import Case
from aftersales.warranty.packs import packs_in_force
from aftersales.warranty.rules.engine import decide
from aftersales.warranty.rules.facts import Facts


def case_pack(case: Case, day: dt.date) -> Pack | None:
    return packs_in_force().select(case.product_line, case.centre.region, day)


def likely_part(pack: Pack, symptom: str) -> str:
    if symptom not in pack.symptoms:
        raise AppError("unknown-symptom", "Choose what is wrong from the list.", "请从列表中选择故障。",
                       field="symptom")
    return pack.symptoms[symptom].parts[0]


def onsite_eligible(case: Case, part: str, day: dt.date) -> bool:
    """True when the warranty covers ``part`` on site on ``day``; a device the registry does not
    know, or a fault the warranty does not decide, is not free on site."""
    device = case.device
    if device is None:
        return False
    facts = Facts(product_line=device.product_line, manufactured_on=device.manufactured_on, part=part, as_of=day,
                  sold_in=device.sold_in, service_in=case.centre.region, purchased_on=case.purchased_on,
                  shipped_on=device.shipped_on, exclusions=())
    try:
        decision = decide(facts, packs_in_force())
    except AppError:
        return False
    return decision.covered and decision.onsite_eligible

"""Whether a case's fault is free on-site, as the warranty engine decides it, and the pack whose
visit terms apply to the case.

A customer booking a visit names what is wrong as one of the pack's symptoms; the part most
likely behind it (the symptom's first part) is what the warranty is asked about, as the
"Check my warranty" page does. The technician's findings on site decide the repair itself.

The decision is told how many of the device's VIP software on-site visits were used (its
``VipUsage``): a high-end desktop's fault of the pre-installed system is free on site while that
visit is unused, and a visit booked on that ground takes it (``visit_purpose``).
"""

from __future__ import annotations

import datetime as dt

from aftersales.core.errors import AppError
from aftersales.onsite.models import Purpose, VipUsage
from aftersales.policy.pack import Pack
from aftersales.repairs.models import Case
from aftersales.warranty.packs import packs_in_force
from aftersales.warranty.rules.engine import decide
from aftersales.warranty.rules.facts import Decision, Facts

VIP_SOFTWARE_VISIT = "vip-software-visit"  # the reason a decision gives when the VIP visit makes it free on site


def case_pack(case: Case, day: dt.date) -> Pack | None:
    return packs_in_force().select(case.product_line, case.centre.region, day)


def likely_part(pack: Pack, symptom: str) -> str:
    if symptom not in pack.symptoms:
        raise AppError("unknown-symptom", "Choose what is wrong from the list.", "请从列表中选择故障。",
                       field="symptom")
    return pack.symptoms[symptom].parts[0]


def _decision(case: Case, part: str, day: dt.date) -> Decision | None:
    """The warranty decision for ``part`` on ``day``, the device's VIP visits used included; None
    for a device the registry does not know, or a fault the warranty does not decide."""
    device = case.device
    if device is None:
        return None
    usage = VipUsage.objects.filter(device=device).first()
    facts = Facts(product_line=device.product_line, manufactured_on=device.manufactured_on, part=part, as_of=day,
                  sold_in=device.sold_in, service_in=case.centre.region, purchased_on=case.purchased_on,
                  shipped_on=device.shipped_on, exclusions=(), vip_visits_used=usage.software_visit if usage else 0)
    try:
        return decide(facts, packs_in_force())
    except AppError:
        return None


def onsite_eligible(case: Case, part: str, day: dt.date) -> bool:
    """True when the warranty covers ``part`` on site on ``day``."""
    decision = _decision(case, part, day)
    return decision is not None and decision.covered and decision.onsite_eligible


def visit_purpose(case: Case, part: str, day: dt.date) -> tuple[bool, str]:
    """Whether ``part`` is free on site on ``day``, and what a visit for it is: the VIP software
    visit when that is what makes it free (booking it uses the entitlement), else a repair."""
    decision = _decision(case, part, day)
    if decision is None or not (decision.covered and decision.onsite_eligible):
        return False, Purpose.REPAIR
    return True, Purpose.SOFTWARE if decision.reasons[-1].code == VIP_SOFTWARE_VISIT else Purpose.REPAIR

"""For tests elsewhere: a case's repair accelerated by executive care the way an agent does it,
through a dispute filed on the portal's form and resolved with an accelerated repair."""

from __future__ import annotations

import io

from django.core.management import call_command

from aftersales.core import clock
from aftersales.core.testing import role_user
from aftersales.disputes.models import CasePriority
from aftersales.disputes.resolutions import resolution_accelerate
from aftersales.disputes.services import Filing, dispute_file


def accelerated(case) -> CasePriority:
    """File a dispute about ``case`` (whose centre's region is the customer's) and accelerate it."""
    call_command("load-sla-policies", stdout=io.StringIO())  # a version already loaded is skipped
    agent = role_user("exec-care", username=f"care-{case.pk}")
    dispute = dispute_file(filing=Filing(customer_name=case.customer_name, case_number=case.number,
                                         serial=case.serial, country=case.centre.region,
                                         what_happened="Still waiting for the repair.", email=case.email),
                           actor=None, now=clock.now())
    resolution_accelerate(number=dispute.number, explanation="We have moved your repair to the front.",
                          key=f"accelerate-{case.pk}", actor=agent, now=clock.now())
    return CasePriority.objects.get(case=case)

"""Paid cases of this system in the audit: fees the audit does not re-price (storage, trip) are
not taken for paying more than the repair cost."""

from decimal import Decimal

import pytest

from aftersales.audit.conftest import paid_live_case
from aftersales.audit.models import AuditFinding, AuditRun
from aftersales.audit.runs import audit_run_execute, audit_run_start
from aftersales.billing.charges import Leg, charge_due
from aftersales.billing.models import ChargeKind
from aftersales.core import clock
from aftersales.ledger.models import Purpose
from aftersales.ledger.services import transfer_post

pytestmark = pytest.mark.django_db


def test_a_paid_storage_fee_is_not_taken_for_paying_more_than_the_repair_cost(centres, auditor):
    # given a deep cleaning charged the published 199.00, and a storage fee of 30.00, both paid
    case = paid_live_case(serial="HD000001", labour="199.00")
    now = clock.now()
    charge_due(case=case, kind=ChargeKind.STORAGE, legs=[Leg(f"storage-{case.number}", Purpose.REVENUE_STORAGE,
                                                             Decimal("30.00"))],
               currency="CNY", text_en="Storage", text_zh="保管费", now=now)
    transfer_post(key=f"paid-storage-{case.number}", debit=Purpose.PROVIDER_CASH, credit=Purpose.RECEIVABLE,
                  amount="30.00", currency="CNY", effective_on=case.day(now), now=now, reference=case.number)
    # when the audit runs
    run = audit_run_start(actor=auditor, now=now)
    audit_run_execute(run_id=run.pk, now=now)
    # then the case was audited and nothing was found
    assert AuditRun.objects.get().cases == 1
    assert not AuditFinding.objects.exists()

"""Ten auditors approving one finding at the same moment pay the customer once (PostgreSQL, real
connections in parallel), and a run at the same time as the approvals keeps the finding as it is."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.audit.compensation import finding_approve
from aftersales.audit.models import AuditFinding, Review
from aftersales.audit.runs import audit_run_execute, audit_run_start
from aftersales.core import clock
from aftersales.core.testing import at_once, role_user
from aftersales.ledger.models import Purpose, Transfer
from aftersales.ledger.selectors import balance
from aftersales.ledger.services import account_for

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]



def test_ten_auditors_approving_one_finding_at_once_pay_it_once(history):
    auditors = [role_user("auditor", username=f"auditor-{i}") for i in range(10)]
    run = audit_run_start(actor=auditors[0], now=clock.now())
    audit_run_execute(run_id=run.pk, now=clock.now())
    finding = AuditFinding.objects.get()
    account_for(Purpose.COMPENSATION, "CNY"), account_for(Purpose.REFUNDS_PAYABLE, "CNY")
    # when ten auditors approve it at the same moment
    outcomes = at_once(lambda i: finding_approve(finding_id=finding.pk, actor=auditors[i], now=clock.now()))
    # then all ten see it approved, and 400.00 moved once
    assert [(kind, f.review) for kind, f in outcomes] == [("done", Review.APPROVED)] * 10
    assert Transfer.objects.filter(debit__purpose=Purpose.COMPENSATION).count() == 1
    assert balance(account_for(Purpose.REFUNDS_PAYABLE, "CNY")).credits_posted == Decimal("400.00")

"""The demo's self-repair orders, disputes and repairs of past years: each works as the product
works (an application that goes through, a dispute late and escalated by the sweep, an audit that
finds exactly the overcharges written into the demo history), and a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from aftersales.audit.models import HistoryCase
from aftersales.core import clock
from aftersales.csr.applications import order_apply
from aftersales.csr.models import Order
from aftersales.disputes.models import Dispute
from aftersales.sla.models import Escalation

pytestmark = pytest.mark.django_db


def run() -> str:
    out = io.StringIO()
    call_command("demo-data", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_demo_prints_where_to_try_self_repair_disputes_and_the_audit_and_builds_them_once():
    first = run()
    for words in ("Self-repair (United States and Canada)", "NBUS00001", "/self-repair/staff/",
                  "Repairs of past years, for the overcharge audit", "audit-overcharges", "/console/disputes/"):
        assert words in first, words
    counts = (Order.objects.count(), Dispute.objects.count(), HistoryCase.objects.count())
    assert counts == (1, 2, 6)
    assert Order.objects.get().status == "shipped"
    run()
    assert (Order.objects.count(), Dispute.objects.count(), HistoryCase.objects.count()) == counts


def test_the_demo_works_as_it_says_an_application_goes_through_the_older_dispute_escalates_the_audit_finds_four(
        tmp_path):
    # given the demo
    run()
    # then a visitor can apply for the showcase notebook's SSD, as the demo says
    order = order_apply(request_key="visitor-form-001", serial="NBUS00001", part="ssd", customer_name="Ann Lee",
                        email="ann.lee@example.com", phone="", address="12 Elm Street, Springfield, IL 62701",
                        purchased_on=clock.now().date() - dt.timedelta(days=60), language="en",
                        payment_token="tok_visitor", now=clock.now())
    assert (order.deposit, order.currency) == (Decimal("89.00"), "USD")
    # and the dispute about the older repair, eight days old, is escalated as late once the sweep runs
    call_command("sla-sweep", stdout=io.StringIO())
    older = Dispute.objects.get(case_number="SH-2019-00731")
    assert older.case is None
    assert 100 in set(Escalation.objects.filter(clock__subject_id=older.number).values_list("percent", flat=True))
    # and the audit finds exactly the four overcharges written into the demo history
    out = tmp_path / "findings.jsonl"
    call_command("audit-overcharges", output=str(out), stdout=io.StringIO(), stderr=io.StringIO())
    found = {(f["case_number"], f["line_no"], f["rule"], f["overcharge"])
             for f in map(json.loads, out.read_text().splitlines())}
    assert found == {("SH-2021-00102", 1, "charged-under-warranty", "370.00"),
                     ("SH-2022-00103", 1, "inspection-fee-above-cap", "50.00"),
                     ("SH-2022-00104", 1, "labour-above-schedule", "30.00"),
                     ("SH-2019-00731", 1, "parts-above-list", "30.00")}

"""The chart of the overcharge audit over time, on a known history: each expected figure worked
out by hand from the runs and approvals written here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from aftersales.audit.compensation import finding_approve
from aftersales.audit.models import AuditFinding, AuditRun, HistoryCase, HistoryPayment, RunState
from aftersales.centres.models import ServiceCentre
from aftersales.core import clock
from aftersales.core.testing import role_user
from aftersales.dashboards.board import scope_of
from aftersales.dashboards.overcharges import overcharges_by_month

pytestmark = pytest.mark.django_db
UTC = dt.timezone.utc


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2025, month, day, 4, 0, tzinfo=UTC)  # noon in Shanghai


@pytest.fixture
def audited(frozen_now):
    """A run on 10 April found H1 (400.00 CNY) and H2 (30.00 CNY); one on 20 May found H3
    (50.00 CNY) and U1 (20.00 USD). H1 was approved on 2 May, H3 on 25 May, U1 on 26 May."""
    auditor = role_user("auditor", username="auditor")
    april, may = (AuditRun.objects.create(state=RunState.DONE, started_at=day, finished_at=day, started_by=auditor)
                  for day in (at(4, 10), at(5, 20)))
    made = {}
    for run, number, amount, currency in ((april, "H1", "400.00", "CNY"), (april, "H2", "30.00", "CNY"),
                                          (may, "H3", "50.00", "CNY"), (may, "U1", "20.00", "USD")):
        # a case of past years the customer paid for (only money paid is paid back)
        case = HistoryCase.objects.create(case_number=number, region="CN", product_line="home-desktop",
                                          manufactured_on=dt.date(2020, 1, 1), opened_on=dt.date(2022, 3, 1),
                                          part="psu", currency=currency)
        HistoryPayment.objects.create(case=case, paid_on=dt.date(2022, 3, 8), amount=Decimal(amount),
                                      currency=currency, reference=f"P-{number}")
        made[number] = AuditFinding.objects.create(
            source="history", case_number=number, line_no=1, rule="labour-above-schedule", charged=Decimal(amount),
            due=Decimal("0.00"), overcharge=Decimal(amount), currency=currency, evidence={}, run=run)
    for number, day in (("H1", at(5, 2)), ("H3", at(5, 25)), ("U1", at(5, 26))):
        finding_approve(finding_id=made[number].pk, actor=auditor, now=day)


def month(row) -> tuple:
    return (f"{row['month']:%Y-%m}", row["currency"], row["found"], row["paid"], row["compensation"])


def test_findings_count_in_the_month_first_found_and_payments_in_the_month_approved(audited):
    rows = overcharges_by_month(scope_of(centres=None, period="365d", now=clock.now()))
    assert [month(r) for r in rows] == [("2025-04", "CNY", 2, 0, Decimal("0.00")),
                                        ("2025-05", "CNY", 1, 2, Decimal("450.00")),
                                        ("2025-05", "USD", 1, 1, Decimal("20.00"))]


def test_the_last_30_days_leave_april_out(audited):
    rows = overcharges_by_month(scope_of(centres=None, period="30d", now=clock.now()))
    assert [month(r)[:2] for r in rows] == [("2025-05", "CNY"), ("2025-05", "USD")]


def test_cases_of_past_years_belong_to_no_centre_so_a_centre_chart_leaves_them_out(audited):
    centre = ServiceCentre.objects.create(code="sh-01", name_en="Shanghai Xuhui", name_zh="上海徐汇", region="CN",
                                          city="Shanghai", timezone="Asia/Shanghai")
    assert overcharges_by_month(scope_of(centres=frozenset({centre.pk}), period="all", now=clock.now())) == []


def test_the_chart_is_on_the_dashboard_with_its_table_and_file(audited):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(role_user("auditor", username="reader"))
    page = client.get("/console/dashboard/", {"period": "365d"}).content.decode()
    assert "Overcharge findings and compensation paid over time" in page and "2025-05 CNY" in page
    csv = client.get("/console/dashboard/", {"export": "csv", "chart": "overcharges-by-month", "period": "365d"})
    assert csv.content.decode().splitlines()[1:] == ["2025-04 CNY,2,0,CNY,0.00", "2025-05 CNY,1,2,CNY,450.00",
                                                     "2025-05 USD,1,1,USD,20.00"]

"""The chart of the overcharge audit over time, on a known history: each expected figure worked
out by hand from the runs and approvals written here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from aftersales.audit.compensation import finding_approve
from aftersales.audit.models import AuditFinding, AuditRun, HistoryCase, HistoryPayment, RunState
from aftersales.console.test_charts import csv_of, drawing_of
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
    return (f"{row['month']:%Y-%m}", row["found"], row["paid"], row["compensation"])


def amounts(cny: str, usd: str) -> dict:
    return {"CNY": Decimal(cny), "USD": Decimal(usd)}


def scope(period: str):
    return scope_of(centres=None, period=period, now=clock.now())


def reader(language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(role_user("auditor", username="reader"))
    return client


def test_findings_count_in_the_month_first_found_and_payments_in_the_month_approved(audited):
    rows = overcharges_by_month(scope("365d"))
    # April: H1 and H2 found; May: H3 and U1 found, and H1, H3 (400.00 + 50.00 CNY) and U1 (20.00 USD) paid
    assert [month(r) for r in rows if r["found"] or r["paid"]] == [
        ("2025-04", 2, 0, amounts("0.00", "0.00")), ("2025-05", 2, 3, amounts("450.00", "20.00"))]


def test_every_month_of_the_period_has_its_row_with_nothing_where_nothing_happened(audited):
    rows = overcharges_by_month(scope("365d"))
    # the last 12 months, counted back from 1 June 2025, start on 1 June 2024: thirteen calendar
    # months, in order, eleven of them without a finding or a payment
    assert [f"{r['month']:%Y-%m}" for r in rows] == [
        "2024-06", "2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12", "2025-01", "2025-02",
        "2025-03", "2025-04", "2025-05", "2025-06"]
    quiet = [month(r)[1:] for r in rows if f"{r['month']:%Y-%m}" not in ("2025-04", "2025-05")]
    assert quiet == [(0, 0, amounts("0.00", "0.00"))] * 11


def test_over_all_time_the_months_start_with_the_first_finding(audited):
    # given also a run on 15 February that found H4 (10.00 CNY), never approved
    run = AuditRun.objects.create(state=RunState.DONE, started_at=at(2, 15), finished_at=at(2, 15),
                                  started_by=role_user("auditor", username="february"))
    AuditFinding.objects.create(source="history", case_number="H4", line_no=1, rule="labour-above-schedule",
                                charged=Decimal("10.00"), due=Decimal("0.00"), overcharge=Decimal("10.00"),
                                currency="CNY", evidence={}, run=run)
    rows = overcharges_by_month(scope("all"))
    # then February to June, March and June with nothing
    assert [month(r)[:3] for r in rows] == [("2025-02", 1, 0), ("2025-03", 0, 0), ("2025-04", 2, 0),
                                            ("2025-05", 2, 3), ("2025-06", 0, 0)]


def test_the_last_30_days_leave_april_out(audited):
    rows = overcharges_by_month(scope("30d"))
    # from 2 May at noon in Shanghai: H3 and U1 found, and the three approvals (H1's at that very moment)
    assert [month(r) for r in rows] == [("2025-05", 2, 3, amounts("450.00", "20.00")),
                                        ("2025-06", 0, 0, amounts("0.00", "0.00"))]


def test_cases_of_past_years_belong_to_no_centre_so_a_centre_chart_leaves_them_out(audited):
    centre = ServiceCentre.objects.create(code="sh-01", name_en="Shanghai Xuhui", name_zh="上海徐汇", region="CN",
                                          city="Shanghai", timezone="Asia/Shanghai")
    assert overcharges_by_month(scope_of(centres=frozenset({centre.pk}), period="all", now=clock.now())) == []


def test_the_chart_draws_the_compensation_in_each_currency_on_an_axis_of_its_own(audited):
    page = reader().get("/console/dashboard/", {"period": "30d"}).content.decode()
    assert "Overcharge findings and compensation paid over time" in page
    drawing = drawing_of(page, "overcharges-by-month")
    # May and June; the counts as bars on the chart's axis, each currency's compensation a line
    assert drawing["labels"] == ["2025-05", "2025-06"]
    assert [(s["label"], s["axis"], s["style"], s["data"]) for s in drawing["series"]] == [
        ("Overcharges found", "y", "", [2, 0]), ("Approved and paid back", "y", "", [3, 0]),
        ("Compensation paid (CNY)", "amount-CNY", "line", [450.0, 0.0]),
        ("Compensation paid (USD)", "amount-USD", "line", [20.0, 0.0])]
    assert [(a["id"], a["unit"], a["title"]) for a in drawing["axes"]] == [
        ("y", "count", ""), ("amount-CNY", "amount", "CNY"), ("amount-USD", "amount", "USD")]
    # and the table under it gives the same figures under the same names
    assert ('<th scope="col">Compensation paid (CNY)</th><th scope="col">Compensation paid (USD)</th>' in page)
    assert ('<th scope="row">2025-05</th><td class="num">2</td><td class="num">3</td><td class="num">450.00</td>'
            '<td class="num">20.00</td>') in page
    assert ('<th scope="row">2025-06</th><td class="num">0</td><td class="num">0</td><td class="num">0.00</td>'
            '<td class="num">0.00</td>') in page


def test_the_file_has_every_month_of_the_period_and_a_column_for_each_currency(audited):
    text = csv_of(reader(), "overcharges-by-month", period="365d")
    quiet = ["2024-06", "2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12", "2025-01", "2025-02",
             "2025-03"]
    assert text.splitlines() == [
        "\ufeffMonth,Overcharges found,Approved and paid back,Compensation paid (CNY),Compensation paid (USD)",
        *(f"{name},0,0,0.00,0.00" for name in quiet),
        "2025-04,2,0,0.00,0.00", "2025-05,2,3,450.00,20.00", "2025-06,0,0,0.00,0.00"]


def test_the_file_is_headed_in_chinese_for_a_chinese_reader(audited):
    text = csv_of(reader("zh-hans"), "overcharges-by-month", period="30d")
    assert text == ("\ufeff月份,发现的多收费用,已批准并退还,已付补偿（CNY）,已付补偿（USD）\r\n"
                    "2025-05,2,3,450.00,20.00\r\n2025-06,0,0,0.00,0.00\r\n")

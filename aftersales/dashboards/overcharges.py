"""The chart of the overcharge audit over time: by month, how many overcharges the audit found
and how many were approved and paid back (bars), and the compensation paid in each currency
(a line for each, on an axis of its own: amounts in different currencies are never added).

Every calendar month (UTC) of the period has its row, with zeros where nothing was found or paid,
so the time axis runs evenly; over all time the months start at the first one with a finding.

A finding counts in the month of the run that first found it (a later run finding it again adds
nothing); a payment in the month it was approved. Cases of past years belong to no service
centre of this system, so a chart of chosen centres counts only the findings on their own cases.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from aftersales.audit.models import AuditFinding, Review, Source
from aftersales.dashboards.charts import Chart, Column, Scope
from aftersales.repairs.models import Case

CENT = Decimal("0.01")


def _in_scope(scope: Scope, at: str):
    found = AuditFinding.objects.filter(**{f"{at}__lte": scope.until})
    if scope.since is not None:
        found = found.filter(**{f"{at}__gte": scope.since})
    if scope.centres is not None:
        found = found.filter(source=Source.LIVE, case_number__in=Case.objects.filter(
            centre_id__in=sorted(scope.centres)).values("number"))
    return found


def _month(at: dt.datetime) -> dt.date:
    at = at.astimezone(dt.timezone.utc)
    return dt.date(at.year, at.month, 1)


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months = []
    while first <= last:
        months.append(first)
        first = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return months


def overcharges_by_month(scope: Scope) -> list[dict]:
    """Every month of the period: findings first found, findings approved and paid, and the
    compensation paid in each currency the period's findings are in (``{currency: amount}``, to
    the cent; 0.00 where none was paid). No rows when nothing was found or paid in the period."""
    found = list(_in_scope(scope, "run__started_at")
                 .annotate(month=TruncMonth("run__started_at", tzinfo=dt.timezone.utc))
                 .values("month", "currency").annotate(n=Count("pk")).order_by())
    paid = list(_in_scope(scope, "reviewed_at").filter(Q(review=Review.APPROVED))
                .annotate(month=TruncMonth("reviewed_at", tzinfo=dt.timezone.utc))
                .values("month", "currency").annotate(n=Count("pk"), amount=Sum("paid_back")).order_by())
    if not found and not paid:
        return []
    currencies = sorted({r["currency"] for r in found + paid})
    first = _month(scope.since) if scope.since is not None else min(_month(r["month"]) for r in found + paid)
    rows = {month: {"month": month, "found": 0, "paid": 0,
                    "compensation": {currency: Decimal("0.00") for currency in currencies}}
            for month in _months(first, _month(scope.until))}
    for r in found:
        rows[_month(r["month"])]["found"] += r["n"]
    for r in paid:
        row = rows[_month(r["month"])]
        row["paid"] += r["n"]
        row["compensation"][r["currency"]] += Decimal(r["amount"]).quantize(CENT)
    return list(rows.values())


BY_MONTH = Chart(
    slug="overcharges-by-month",
    title=_("Overcharge findings and compensation paid over time"),
    summary=_("By month: the overcharges the audit found for the first time, those approved and paid back, and "
              "the compensation paid, in each currency. Cases from before this system count only when every "
              "centre is shown."),
    rows=overcharges_by_month,
    category=Column("month", _("Month"), "month"),
    series=(Column("found", _("Overcharges found")), Column("paid", _("Approved and paid back")),
            Column("compensation", _("Compensation paid"), "amount", per_currency=True)),
)

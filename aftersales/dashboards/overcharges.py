"""The chart of the overcharge audit over time: by month, how many overcharges the audit found
and how many were approved and paid back, with the compensation paid, per currency.

A finding counts in the month of the run that first found it (a later run finding it again adds
nothing); a payment in the month it was approved. Cases of past years belong to no service
centre of this system, so a chart of chosen centres counts only the findings on their own cases.
"""

from __future__ import annotations

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


def overcharges_by_month(scope: Scope) -> list[dict]:
    """Per month and currency: findings first found, findings approved and paid, and the
    compensation paid (decimals to the cent)."""
    rows: dict[tuple, dict] = {}
    found = (_in_scope(scope, "run__started_at").annotate(month=TruncMonth("run__started_at"))
             .values("month", "currency").annotate(n=Count("pk")).order_by())
    paid = (_in_scope(scope, "reviewed_at").filter(Q(review=Review.APPROVED)).annotate(month=TruncMonth("reviewed_at"))
            .values("month", "currency").annotate(n=Count("pk"), amount=Sum("overcharge")).order_by())
    for r in found:
        rows.setdefault((r["month"], r["currency"]), _empty(r))["found"] = r["n"]
    for r in paid:
        row = rows.setdefault((r["month"], r["currency"]), _empty(r))
        row["paid"], row["compensation"] = r["n"], Decimal(r["amount"]).quantize(CENT)
    return [rows[key] for key in sorted(rows)]


def _empty(r: dict) -> dict:
    return {"month": r["month"], "currency": r["currency"], "found": 0, "paid": 0, "compensation": Decimal("0.00")}


BY_MONTH = Chart(
    slug="overcharges-by-month",
    title=_("Overcharge findings and compensation paid over time"),
    summary=_("By month: the overcharges the audit found for the first time, those approved and paid back, and "
              "the compensation paid, in each currency. Cases from before this system count only when every "
              "centre is shown."),
    rows=overcharges_by_month,
    category=Column("month", _("Month"), "label",
                    words=lambda row, language: f"{row['month']:%Y-%m} {row['currency']}"),
    series=(Column("found", _("Overcharges found")), Column("paid", _("Approved and paid back"))),
    more=(Column("currency", _("Currency"), "label"), Column("compensation", _("Compensation paid"), "amount")),
)

"""Charts of repair cases: how many stand in each status, and how long a case takes from opening
to hand-over on each product line.

A case is handed over when it reaches "returned" (collected at the counter, delivered by the
carrier, or left with its owner after an on-site visit). Nothing leaves that status, so the time
of its last status change is the moment of hand-over, and the turnaround needs no timeline rows.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from aftersales.dashboards.charts import Chart, Column, Scope
from aftersales.dashboards.measures import median_and_p90
from aftersales.policy.vocabulary import PRODUCT_LINES
from aftersales.repairs.models import Case
from aftersales.repairs.status import Status, desk_label
from aftersales.warranty.presentation import label


def cases_by_status(scope: Scope) -> list[dict]:
    """Cases opened in the period, by the status each stands in now, in the order of the work."""
    counted = dict(Case.objects.filter(scope.where(centre="centre_id", at="created_at"))
                   .values_list("status").annotate(cases=Count("pk")).order_by())
    return [{"status": status, "cases": counted[status]} for status in Status.values if status in counted]


def turnaround_by_line(scope: Scope) -> list[dict]:
    """Cases handed over in the period, by product line: how many, and the median and 90th
    percentile of the days from opening to hand-over."""
    handed_over = Case.objects.filter(scope.where(centre="centre_id", at="status_changed_at"),
                                      status=Status.COLLECTED)
    found = median_and_p90(handed_over, group="product_line", started="created_at", ended="status_changed_at")
    return [found[line] for line in PRODUCT_LINES if line in found]


BY_STATUS = Chart(
    slug="cases-by-status",
    title=_("Cases by status"),
    summary=_("Repair cases opened in the period, by the status each is in now."),
    rows=cases_by_status,
    category=Column("status", _("Status"), "label", words=lambda row, language: desk_label(row["status"], language)),
    series=(Column("cases", _("Number of cases")),),
)

TURNAROUND = Chart(
    slug="turnaround-by-product-line",
    title=_("Turnaround by product line"),
    summary=_("Days from opening a case to handing the device back, for the cases handed back in the period: "
              "half of them took no longer than the median, nine in ten no longer than the 90th percentile."),
    rows=turnaround_by_line,
    category=Column("product_line", _("Product line"), "label",
                    words=lambda row, language: label(PRODUCT_LINES, row["product_line"], language)),
    series=(Column("median", _("Median (days)"), "days"), Column("p90", _("90th percentile (days)"), "days")),
    more=(Column("cases", _("Cases handed back")),),
)

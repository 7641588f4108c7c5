"""The dashboard: its charts in the order the page shows them, and the periods a reader may pick.

Adding a chart is one declaration (see ``dashboards.cases`` for two): a selector that returns
aggregated rows for a ``Scope``, and a ``Chart`` naming its category and series columns with
their words; then one line in ``BOARD``. The page, its table, its CSV file and the drawing follow.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from aftersales.accounts.roles import user_can
from aftersales.dashboards import cases, damage, disputes, overcharges
from aftersales.dashboards.charts import Chart, Scope

BOARD: tuple[Chart, ...] = (
    cases.BY_STATUS,
    cases.TURNAROUND,
    damage.BY_CENTRE,
    disputes.BY_STATE,
    overcharges.BY_MONTH,
)

# period -> (its name, how far back it reaches; None: from the first record)
PERIODS: dict[str, tuple[str, dt.timedelta | None]] = {
    "30d": (_("Last 30 days"), dt.timedelta(days=30)),
    "90d": (_("Last 90 days"), dt.timedelta(days=90)),
    "365d": (_("Last 12 months"), dt.timedelta(days=365)),
    "all": (_("All time"), None),
}
DEFAULT_PERIOD = "90d"


def charts_for(user) -> list[Chart]:
    return [chart for chart in BOARD if user_can(user, chart.action)]


def chart_named(user, slug: str) -> Chart | None:
    return next((chart for chart in charts_for(user) if chart.slug == slug), None)


def scope_of(*, centres: frozenset[int] | None, period: str, now: dt.datetime) -> Scope:
    """The scope of ``period`` (an unknown one reads as the default) ending ``now``."""
    back = PERIODS.get(period, PERIODS[DEFAULT_PERIOD])[1]
    return Scope(centres=centres, since=None if back is None else now - back, until=now)

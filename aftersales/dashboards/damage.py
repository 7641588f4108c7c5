"""The chart of customer-induced damage by service centre.

Damage is proposed by whoever inspects the device and decided only by the maker's staff
(``repairs.models.DamageDetermination``: proposed, then confirmed or rejected). The chart counts
the proposals made in the period at each centre by where they stand now, and the share of the
decided ones that were confirmed.

A confirmed determination may be looked at again in a dispute by someone other than its decider
(``disputes.models.DamageReview``); reversed, it reads "rejected" from then on, so the confirmed
and rejected columns show where each stands now. The centre's own decisions are counted apart:
``decisions`` (confirmed or rejected), ``reversed`` (those a second look reversed), and the share
of the centre's confirmations that were reversed — only a confirmation can be reversed, so that
is the share's base (those confirmed now plus those reversed). The chart draws that share per
centre, as a point on a percent axis beside the centre's stacked decisions.
"""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from aftersales.dashboards.charts import Chart, Column, Scope
from aftersales.disputes.models import DamageReview
from aftersales.repairs.models import DamageDetermination, DamageStatus
from aftersales.warranty.presentation import is_zh

# A second look in a dispute reversed the determination (it reads "rejected" since).
REVERSED = DamageReview.objects.filter(determination=OuterRef("pk"), reversed=True)


def _share(part: int, whole: int) -> float | None:
    return None if not whole else 100.0 * part / whole


def damage_by_centre(scope: Scope) -> list[dict]:
    """Damage proposals made in the period, by centre: confirmed, rejected, awaiting a decision,
    and the share of the decided ones confirmed (None where none is decided yet); the decisions,
    those reversed on a second look, and the share of the confirmations reversed (None where the
    centre confirmed none)."""
    rows = (DamageDetermination.objects.filter(scope.where(centre="case__centre_id", at="proposed_at"))
            .values(centre=F("case__centre__code"), name_en=F("case__centre__name_en"),
                    name_zh=F("case__centre__name_zh"))
            .annotate(confirmed=Count("pk", filter=Q(status=DamageStatus.CONFIRMED)),
                      rejected=Count("pk", filter=Q(status=DamageStatus.REJECTED)),
                      awaiting=Count("pk", filter=Q(status=DamageStatus.PROPOSED)),
                      reversed=Count("pk", filter=Q(Exists(REVERSED))))
            .order_by("centre"))
    return [{**row, "confirmed_share": _share(row["confirmed"], row["confirmed"] + row["rejected"]),
             "decisions": row["confirmed"] + row["rejected"],
             "reversed_share": _share(row["reversed"], row["confirmed"] + row["reversed"])} for row in rows]


BY_CENTRE = Chart(
    slug="damage-by-centre",
    title=_("Customer-induced damage by service centre"),
    summary=_("Proposals of customer-induced damage made in the period at each centre, by the staff's decision "
              "as it stands now; the share of the decided ones that staff confirmed, and how many of the "
              "confirmations were reversed when looked at again in a dispute."),
    rows=damage_by_centre,
    category=Column("centre", _("Service centre"), "label",
                    words=lambda row, language: row["name_zh"] if is_zh(language) else row["name_en"]),
    # the decisions stacked by where they stand, and beside them the reversal rate (percent axis)
    series=(Column("confirmed", _("Confirmed")), Column("rejected", _("Rejected")),
            Column("awaiting", _("Awaiting a decision")),
            Column("reversed_share", _("Reversed of those confirmed (%)"), "percent")),
    more=(Column("confirmed_share", _("Confirmed of those decided (%)"), "percent"),
          Column("decisions", _("Decisions")), Column("reversed", _("Reversed when looked at again"))),
    # the reversal rate last in the table and the file, after the counts it is worked out from
    table=("confirmed", "rejected", "awaiting", "confirmed_share", "decisions", "reversed", "reversed_share"),
    kind="stacked",
)

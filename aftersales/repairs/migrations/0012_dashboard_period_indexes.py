"""Indexes for the dashboard's charts (``aftersales.dashboards``), which count over a period.

- the turnaround reads the cases handed back in a period: status "collected", by the time of
  their last status change, with what it measures carried in the index so the table is not read;
- the damage chart reads the proposals made in a period, by the time they were made.

Written as SQL, as the search indexes are, so that ``Case.Meta`` stays as it is.
"""

from django.db import migrations

INDEXES = [
    ("case_handed_over",
     "CREATE INDEX case_handed_over ON repairs_case (status, status_changed_at, centre_id, product_line, created_at)"),
    ("damage_proposed_at",
     "CREATE INDEX damage_proposed_at ON repairs_damagedetermination (proposed_at)"),
]


class Migration(migrations.Migration):

    dependencies = [
        ("repairs", "0011_case_search_indexes"),
    ]

    operations = [migrations.RunSQL(sql, f"DROP INDEX IF EXISTS {name}") for name, sql in INDEXES]

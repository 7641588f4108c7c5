"""PostgreSQL: a technician's live visits may not overlap, travel buffer included (btree_gist
lets the exclusion constraint compare the technician by equality). SQLite keeps the same rule
through its write lock; see ``onsite.models``."""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CONSTRAINT = """
ALTER TABLE onsite_visit ADD CONSTRAINT visit_technician_not_double_booked
EXCLUDE USING gist (technician_id WITH =, tstzrange(starts_at, blocked_until, '[)') WITH &&)
WHERE (status IN ('booked', 'on-site', 'done'))
"""
DROP = "ALTER TABLE onsite_visit DROP CONSTRAINT visit_technician_not_double_booked"


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("onsite", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(_on_postgres(CONSTRAINT), _on_postgres(DROP)),
    ]

"""Indexes for the staff search (``repairs.search``) and the list of every case, newest first.

Written as SQL for each database rather than in ``Case.Meta``: the phone's digits are an
expression each database spells its own way, and the name's trigram index exists on PostgreSQL
only (``pg_trgm``, a trusted extension the database owner may create). Each index's expression is
the one the search's query computes, word for word, so that the planner can use it.
"""

from django.db import migrations

COMMON = [
    # every case of a centre, or of all centres, newest first (the closed cases; search results)
    ("case_centre_recent", "CREATE INDEX case_centre_recent ON repairs_case (centre_id, created_at, id)"),
    ("case_recent", "CREATE INDEX case_recent ON repairs_case (created_at, id)"),
    ("case_email_lower", "CREATE INDEX case_email_lower ON repairs_case (lower(email))"),
]
POSTGRESQL = [
    ("case_phone_digits",
     "CREATE INDEX case_phone_digits ON repairs_case (regexp_replace(phone, '[^0-9]', '', 'g'))"),
    ("case_name_trigram",
     "CREATE INDEX case_name_trigram ON repairs_case USING gin (upper(customer_name) gin_trgm_ops)"),
]
SQLITE = [
    ("case_phone_digits",
     "CREATE INDEX case_phone_digits ON repairs_case "
     "(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '+', ''), '(', ''), ')', ''), "
     "'.', ''))"),
]


def _indexes(vendor: str):
    return COMMON + (POSTGRESQL if vendor == "postgresql" else SQLITE if vendor == "sqlite" else [])


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for _name, sql in _indexes(vendor):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    for name, _sql in _indexes(schema_editor.connection.vendor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("repairs", "0010_case_return_address"),
    ]

    operations = [migrations.RunPython(create, drop)]

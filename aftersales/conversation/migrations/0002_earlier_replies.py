"""The replies customers wrote before cases had a conversation (``repairs.CustomerMessage``) join
the thread as the customer's messages, so that nothing they wrote disappears from view."""

from django.db import migrations


def copy_replies(apps, schema_editor):
    CustomerMessage = apps.get_model("repairs", "CustomerMessage")
    Message = apps.get_model("conversation", "Message")
    rows = CustomerMessage.objects.select_related("case").exclude(text="").order_by("at", "id")
    Message.objects.bulk_create(
        Message(case_id=row.case_id, author_kind="customer", body=row.text, created_at=row.at,
                language=row.case.language, visibility="customer") for row in rows.iterator())


class Migration(migrations.Migration):
    dependencies = [
        ("conversation", "0001_messages"),
        ("repairs", "0009_visit_events"),
    ]

    operations = [migrations.RunPython(copy_replies, migrations.RunPython.noop)]

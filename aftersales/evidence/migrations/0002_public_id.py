"""Evidence is addressed by a random public id, not by its sequential row id: the column is
added empty, every existing row gets its own id, then the column becomes required and unique."""

import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    Evidence = apps.get_model("evidence", "Evidence")
    for pk in Evidence.objects.filter(public_id__isnull=True).values_list("pk", flat=True).iterator():
        Evidence.objects.filter(pk=pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):

    dependencies = [
        ("evidence", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidence", name="public_id",
            field=models.UUIDField(null=True, editable=False, verbose_name="public id"),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="evidence", name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="public id"),
        ),
    ]

"""The index the dashboard's period filter reads disputes by (``dashboards.disputes``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("disputes", "0002_dispute_clocks_and_waiting")]

    operations = [
        migrations.AddIndex(model_name="dispute", index=models.Index(fields=["filed_at"], name="dispute_filed_at")),
    ]

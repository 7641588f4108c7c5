"""A person may belong to several service centres: the single ``service_centre`` becomes the
many-to-many ``centres``, and everyone keeps the centre they had."""

from django.db import migrations, models


def copy_centre(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Membership = User.centres.through
    Membership.objects.bulk_create(
        Membership(user_id=user_id, servicecentre_id=centre_id)
        for user_id, centre_id in User.objects.filter(service_centre__isnull=False)
        .values_list("pk", "service_centre_id").iterator())


def keep_first_centre(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(centres__isnull=False).distinct():
        user.service_centre_id = user.centres.order_by("pk").values_list("pk", flat=True).first()
        user.save(update_fields=["service_centre"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("centres", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user", name="service_centre",
            field=models.ForeignKey(blank=True, null=True, on_delete=models.deletion.SET_NULL, related_name="+",
                                    to="centres.servicecentre", verbose_name="service centre"),
        ),
        migrations.AddField(
            model_name="user", name="centres",
            field=models.ManyToManyField(blank=True, related_name="staff", to="centres.servicecentre",
                                         verbose_name="service centres",
                                         help_text="Staff, technicians and verifiers see only the cases of "
                                                   "these centres."),
        ),
        migrations.RunPython(copy_centre, keep_first_centre),
        migrations.RemoveField(model_name="user", name="service_centre"),
    ]

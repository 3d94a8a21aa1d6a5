from django.db import migrations, models
from django.db.models import F


def confirm_existing(apps, schema_editor):
    # every support given so far was counted at once: it stays counted
    ReportSupport = apps.get_model("reports", "ReportSupport")
    ReportSupport.objects.filter(confirmed_at__isnull=True).update(confirmed_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_report_attributes"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportsupport",
            name="confirmation_sent_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="Bestätigung gesendet am"
            ),
        ),
        migrations.AddField(
            model_name="reportsupport",
            name="confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="bestätigt am"),
        ),
        migrations.RunPython(confirm_existing, migrations.RunPython.noop),
    ]

from django.db import migrations

# Feedback on accessibility must be answered within a month (§ 12b BGG, § 7 BITV 2.0): the
# category exists in every installation, with a 20-working-day target.


def create_category(apps, schema_editor):
    Category = apps.get_model("tickets", "Category")
    Category.objects.get_or_create(
        slug="barrierefreiheit",
        defaults={
            "name": "Barrierefreiheit",
            "description": "Rückmeldungen zu Barrieren im Bürgerportal.",
            "sla_days": 20,
            "icon": "accessibility",
            "publish_mode": "nach_pruefung",
            "sort_order": 900,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("contact", "0001_initial"), ("tickets", "0001_initial")]

    operations = [migrations.RunPython(create_category, migrations.RunPython.noop)]

"""The pool's counter row, and the ticket category of its ideas (idea categories never appear in
the Mängelmelder)."""

from django.db import migrations


def create(apps, schema_editor):
    PoolStatistics = apps.get_model("ideas", "PoolStatistics")
    Category = apps.get_model("tickets", "Category")
    PoolStatistics.objects.get_or_create(pk=1)
    if not Category.objects.filter(kind="idee").exists():
        Category.objects.get_or_create(
            slug="ideenpool",
            defaults={
                "name": "Idee aus dem Ideenpool",
                "kind": "idee",
                "sla_days": 20,
                "description": "Vorprüfung von Ideen aus dem Ideenpool: Machbarkeit, "
                "Zuständigkeit, Rechtmäßigkeit.",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("ideas", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

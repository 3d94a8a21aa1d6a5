from django.db import migrations

# Applications to a service without a category of its own (most services an editor puts online
# with the form builder) become Anliegen of this category. It names no department: a routing rule
# or the fallback department decides, so an administrator can direct them before the first one
# arrives. Values frozen here; services.eforms.constants names the slug.
SLUG = "antrag-sonstiges"


def create_category(apps, schema_editor):
    Category = apps.get_model("tickets", "Category")
    Category.objects.get_or_create(
        slug=SLUG,
        defaults={
            "name": "Sonstiger Antrag",
            "kind": "antrag",
            "icon": "document",
            "description": (
                "Anträge aus Formularen von Leistungen ohne eigene Kategorie. Den Fachbereich "
                "bestimmen die Zuordnungsregeln, sonst der Auffang-Fachbereich."
            ),
            "sla_days": 10,
            "publish_mode": "nach_pruefung",
            "sort_order": 900,
        },
    )


def keep_category(apps, schema_editor):
    # tickets may already point at it; taking the migration back leaves it in place
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("eforms", "0001_initial"),
        ("tickets", "0005_alter_category_kind"),
    ]

    operations = [migrations.RunPython(create_category, keep_category)]

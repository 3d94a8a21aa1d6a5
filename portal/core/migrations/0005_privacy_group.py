"""The group "Datenschutz": admin access, the Löschprotokoll and the Datenschutz-Anfragen. The
city gives it to its data protection officer and to who handles requests by letter."""

from django.db import migrations

GROUP = "Datenschutz"
PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("core", "view_erasure_log"),
    ("core", "manage_data_requests"),
]


# the permissions of the kernel's own models; on a fresh database Django makes them only after
# all migrations, so they are made here (by the same natural keys Django uses)
OWN = [
    ("erasurelog", "view_erasure_log", "Löschprotokoll ansehen"),
    ("dataexport", "manage_data_requests", "Datenschutz-Anfragen bearbeiten (Auskunft, Löschung)"),
]


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for model, codename, name in OWN:
        content_type, _ = ContentType.objects.get_or_create(app_label="core", model=model)
        Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_data_export"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]

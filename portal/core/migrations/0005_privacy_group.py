"""The group "Datenschutz": admin access, the Löschprotokoll and the Datenschutz-Anfragen. The
city gives it to its data protection officer and to who handles requests by letter."""

from django.db import migrations

GROUP = "Datenschutz"
PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("core", "view_erasure_log"),
    ("core", "manage_data_requests"),
]


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # on a fresh database the permissions are made only after all migrations: make them now
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
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

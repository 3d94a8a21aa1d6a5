from django.db import migrations

# The group "Moderation" (participation.projects.rules.MODERATORS_GROUP) moderates every project:
# it may enter the Wagtail admin and edit the reason templates. Moderators of a single project
# are the members of the project's department (no group needed).
GROUP = "Moderation"
MODEL_PERMISSIONS = ["add_reasontemplate", "change_reasontemplate", "delete_reasontemplate",
                     "view_reasontemplate"]  # fmt: skip


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # the permissions of this app's models are normally made after all migrations have run
    app_config = apps.get_app_config("contributions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="contributions", codename__in=MODEL_PERMISSIONS
        ),
    )


def remove_group(apps, schema_editor):
    # the group may hold more than this migration gave it; only the permissions are taken back
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label="contributions", codename__in=MODEL_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]

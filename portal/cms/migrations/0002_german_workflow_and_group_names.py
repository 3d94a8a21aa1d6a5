"""Wagtail's initial data names its groups and its moderation workflow in English ("Editors",
"Moderators", "Moderators approval"), and editors read those names in the page editor ("In
Moderators approval einreichen") and in the user administration. German names, as every other
text of the portal."""

from django.db import migrations

GROUPS = {"Editors": "Redaktion", "Moderators": "Redaktionsleitung"}
# Wagtail names the workflow and its one task after the approving group
WORKFLOW = {"Moderators approval": "Freigabe durch die Redaktionsleitung"}


def rename(apps, mapping_groups, mapping_workflow):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    for old, new in mapping_groups.items():
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)
    for old, new in mapping_workflow.items():
        Workflow.objects.filter(name=old).update(name=new)
        Task.objects.filter(name=old).update(name=new)


def to_german(apps, schema_editor):
    rename(apps, GROUPS, WORKFLOW)


def to_english(apps, schema_editor):
    rename(
        apps,
        {new: old for old, new in GROUPS.items()},
        {new: old for old, new in WORKFLOW.items()},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(to_german, to_english)]

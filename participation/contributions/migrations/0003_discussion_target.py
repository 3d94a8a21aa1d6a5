"""Contributions and moderation decisions attach to a discussion target (a generic relation: a
Vorhaben, a pool idea, …) instead of a project. Every existing row keeps its project as target."""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("idea", "comment", "moderationlog")


def project_type(apps):
    content_type = apps.get_model("contenttypes", "ContentType")
    return content_type.objects.get_or_create(app_label="projects", model="projectpage")[0]


def project_to_target(apps, schema_editor):
    ct = project_type(apps)
    for name in MODELS:
        model = apps.get_model("contributions", name)
        model.objects.filter(project__isnull=False).update(
            target_type=ct, target_id=models.F("project_id")
        )


def target_to_project(apps, schema_editor):
    ct = project_type(apps)
    for name in MODELS:
        model = apps.get_model("contributions", name)
        model.objects.filter(target_type=ct).update(project_id=models.F("target_id"))


def _target_fields(model_name: str, *, null: bool) -> list:
    return [
        migrations.AddField(
            model_name=model_name,
            name="target_type",
            field=models.ForeignKey(
                null=True,
                blank=null,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="gehört zu",
            ),
        ),
        migrations.AddField(
            model_name=model_name,
            name="target_id",
            field=models.PositiveBigIntegerField(null=True, blank=null),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("contributions", "0002_moderation_group"),
        ("projects", "0001_initial"),
    ]

    operations = [
        *_target_fields("idea", null=False),
        *_target_fields("comment", null=False),
        *_target_fields("moderationlog", null=True),
        migrations.RunPython(project_to_target, target_to_project),
        migrations.RemoveIndex(model_name="idea", name="contributio_project_e70859_idx"),
        migrations.RemoveIndex(model_name="comment", name="contributio_project_880eb7_idx"),
        migrations.RemoveField(model_name="idea", name="project"),
        migrations.RemoveField(model_name="comment", name="project"),
        migrations.RemoveField(model_name="moderationlog", name="project"),
        migrations.AlterField(
            model_name="idea",
            name="target_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="gehört zu",
            ),
        ),
        migrations.AlterField(
            model_name="idea", name="target_id", field=models.PositiveBigIntegerField()
        ),
        migrations.AlterField(
            model_name="comment",
            name="target_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="gehört zu",
            ),
        ),
        migrations.AlterField(
            model_name="comment", name="target_id", field=models.PositiveBigIntegerField()
        ),
        migrations.AddIndex(
            model_name="idea",
            index=models.Index(
                fields=["target_type", "target_id", "created_at"], name="contrib_idea_target"
            ),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                fields=["target_type", "target_id", "idea", "created_at"],
                name="contrib_comment_target",
            ),
        ),
        migrations.AddIndex(
            model_name="moderationlog",
            index=models.Index(
                fields=["target_type", "target_id", "created_at"], name="contrib_log_target"
            ),
        ),
    ]

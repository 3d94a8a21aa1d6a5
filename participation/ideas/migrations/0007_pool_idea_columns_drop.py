"""The last step of 0005: the columns that moved to the shared input, and PoolSupport, go."""

import django.db.models.deletion
from django.db import migrations, models

SHARED = (
    "title",
    "text",
    "author_id",
    "channel",
    "offline_name",
    "entered_by_id",
    "state",
    "moderation_reason",
    "address",
    "latitude",
    "longitude",
    "district_id",
    "support_count",
    "ticket_id",
)


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0006_pool_idea_input_copy"),
    ]

    operations = [
        # a default only so that the reverse can add the columns back before copying into them
        migrations.AlterField(
            model_name="poolidea",
            name="title",
            field=models.CharField(default="", max_length=120, verbose_name="Titel"),
        ),
        migrations.AlterField(
            model_name="poolidea",
            name="text",
            field=models.TextField(default="", max_length=4000, verbose_name="Beschreibung"),
        ),
        migrations.RemoveIndex(model_name="poolidea", name="ideas_state_submitted"),
        migrations.RemoveIndex(model_name="poolidea", name="ideas_state_supports"),
        migrations.RemoveIndex(model_name="poolidea", name="ideas_state_ends"),
        *[
            migrations.RemoveField(model_name="poolidea", name=name.removesuffix("_id"))
            for name in SHARED
        ],
        migrations.DeleteModel(name="PoolSupport"),
        migrations.AlterField(
            model_name="poolidea",
            name="input",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="pool_idea",
                to="contributions.idea",
                verbose_name="Beitrag",
            ),
        ),
        migrations.AlterModelOptions(
            name="poolidea",
            options={
                "base_manager_name": "objects",
                "ordering": ["-submitted_at", "-pk"],
                "verbose_name": "Idee im Ideenpool",
                "verbose_name_plural": "Ideen im Ideenpool",
            },
        ),
        migrations.AddIndex(
            model_name="poolidea",
            index=models.Index(fields=["submitted_at"], name="ideas_submitted"),
        ),
        migrations.AddIndex(
            model_name="poolidea",
            index=models.Index(fields=["support_ends_at"], name="ideas_ends"),
        ),
    ]

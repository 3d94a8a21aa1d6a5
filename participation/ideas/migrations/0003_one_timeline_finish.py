"""Step 3 of 3 of 0003_one_timeline: IdeaNotice points at ticket lines only, IdeaEvent goes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0003_one_timeline_move"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="ideanotice", name="ideas_notice_once"),
        migrations.RemoveField(model_name="ideanotice", name="event"),
        # The column keeps its name (ticket_event_id): renaming it would leave its index under the
        # new column's name, which the reverse needs for the old "event" column again (PostgreSQL
        # refuses the duplicate). IdeaNotice itself goes in 0004.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField(
                    model_name="ideanotice", old_name="ticket_event", new_name="event"
                ),
                migrations.AlterField(
                    model_name="ideanotice",
                    name="event",
                    field=models.ForeignKey(
                        db_column="ticket_event_id",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="idea_notices",
                        to="tickets.ticketevent",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddConstraint(
            model_name="ideanotice",
            constraint=models.UniqueConstraint(
                fields=("event", "recipient"), name="ideas_notice_once"
            ),
        ),
        migrations.DeleteModel(name="IdeaEvent"),
    ]

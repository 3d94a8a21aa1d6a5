"""One timeline per idea: its ticket's. Every line of the old IdeaEvent table is kept as a line of
the idea's ticket's timeline, where it is not there already, and the e-mails still owed for a line
(IdeaNotice) now point at that ticket line; then IdeaEvent goes.

Three steps, each in a transaction of its own (PostgreSQL refuses to alter a table with pending
deferred-constraint checks, and adding a foreign key alters the table it points to as well):
0003_one_timeline adds the link, 0003_one_timeline_move copies, 0003_one_timeline_finish drops
IdeaEvent.

- "eingereicht": the ticket's own "created" line, which gets the Ideenpool's label.
- a stage: the ticket line the stage change wrote (linked, or the ticket's "Ideenpool: …" status
  line of the same moment), which gets the stage as its public status; else a new step line.
- a department's answer: the ticket line it mirrored (nothing new).
- quorum reached/lost, linked Vorhaben: a new step line with the same time, author and text.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0002_pool_defaults"),
        ("tickets", "0008_ticketevent_public_status"),
    ]

    operations = [
        migrations.AddField(
            model_name="ideanotice",
            name="ticket_event",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="tickets.ticketevent",
            ),
        ),
    ]

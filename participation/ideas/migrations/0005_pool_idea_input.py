"""A pool idea keeps only what is its own (Handlungsfeld, photo, quorum window, stage, the
Vorhaben) on top of the shared input model: each pool idea gets one contributions.Idea (its
discussion target: the pool idea) with the title, text, author, channel, offline name, place,
district, moderation state, support count and ticket link it carried, and every
PoolSupport becomes a contributions.Support of that input. The pool idea keeps its id (links in
sent e-mails, its ticket, comments and subscriptions refer to it). Nothing is lost; the reverse
copies everything back.

Three steps, each in a transaction of its own (PostgreSQL refuses to alter a table that has
pending deferred-constraint checks from a copy, both ways): 0005 adds the link, 0006 copies,
0007 drops the old columns and PoolSupport."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("contributions", "0005_delete_moderationnotice"),
        ("ideas", "0004_notices_to_subscriptions"),
    ]

    operations = [
        migrations.AddField(
            model_name="poolidea",
            name="input",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="pool_idea",
                to="contributions.idea",
                verbose_name="Beitrag",
            ),
        ),
    ]

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def announce_existing(apps, schema_editor):
    """Events written before this migration were heard by the sources through the old
    post_save receivers: they count as announced, so the relay does not announce them again."""
    TicketEvent = apps.get_model("tickets", "TicketEvent")
    EventAnnouncement = apps.get_model("tickets", "EventAnnouncement")
    ids = TicketEvent.objects.values_list("pk", flat=True).order_by("pk")
    batch = []
    for event_id in ids.iterator(chunk_size=2000):
        batch.append(EventAnnouncement(event_id=event_id))
        if len(batch) == 2000:
            EventAnnouncement.objects.bulk_create(batch)
            batch = []
    EventAnnouncement.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0008_ticketevent_public_status"),
    ]

    operations = [
        migrations.CreateModel(
            name="EventAnnouncement",
            fields=[
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="announcement",
                        serialize=False,
                        to="tickets.ticketevent",
                    ),
                ),
                ("announced_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "verbose_name": "Bekanntgabe eines Ereignisses",
                "verbose_name_plural": "Bekanntgaben von Ereignissen",
            },
        ),
        migrations.RunPython(announce_existing, migrations.RunPython.noop),
    ]

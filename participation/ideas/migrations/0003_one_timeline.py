"""One timeline per idea: its ticket's. Every line of the old IdeaEvent table is kept as a line of
the idea's ticket's timeline, where it is not there already, and the e-mails still owed for a line
(IdeaNotice) now point at that ticket line; then IdeaEvent goes.

- "eingereicht": the ticket's own "created" line, which gets the Ideenpool's label.
- a stage: the ticket line the stage change wrote (linked, or the ticket's "Ideenpool: …" status
  line of the same moment), which gets the stage as its public status; else a new step line.
- a department's answer: the ticket line it mirrored (nothing new).
- quorum reached/lost, linked Vorhaben: a new step line with the same time, author and text.
"""

from datetime import timedelta

import django.db.models.deletion
from django.db import migrations, models

STAGE_LINE_WINDOW = timedelta(minutes=1)  # _ticket_follow wrote its line in the same transaction
STEP_KINDS = ("quorum", "quorum_verloren", "vorhaben")


def _new_line(TicketEvent, event, ticket_id, *, public_status):
    return TicketEvent.objects.create(
        ticket_id=ticket_id,
        created_at=event.created_at,
        actor_id=event.actor_id,
        kind="step",
        public_status=public_status,
        public_message=event.public_text,
    )


def _line_for(TicketEvent, event, ticket_id):
    lines = TicketEvent.objects.filter(ticket_id=ticket_id)
    if event.kind == "eingereicht":
        created = lines.filter(kind="created").order_by("pk").first()
        if created is None:
            return _new_line(TicketEvent, event, ticket_id, public_status="eingereicht")
        lines.filter(pk=created.pk).update(public_status="eingereicht")
        return created
    if event.kind == "stufe":
        line = None
        if event.ticket_event_id is not None:
            line = lines.filter(pk=event.ticket_event_id).first()
        if line is None:
            line = (
                lines.filter(
                    kind="status",
                    public_status="",
                    internal_note__startswith="Ideenpool:",
                    created_at__gte=event.created_at - STAGE_LINE_WINDOW,
                    created_at__lte=event.created_at + STAGE_LINE_WINDOW,
                )
                .order_by("pk")
                .first()
            )
        if line is None:
            return _new_line(TicketEvent, event, ticket_id, public_status=event.to_stage)
        lines.filter(pk=line.pk).update(public_status=event.to_stage)
        return line
    if event.kind == "antwort" and event.ticket_event_id is not None:
        line = lines.filter(pk=event.ticket_event_id).first()
        if line is not None:
            return line
    public_status = event.kind if event.kind in STEP_KINDS else ""
    return _new_line(TicketEvent, event, ticket_id, public_status=public_status)


def move_timeline(apps, schema_editor):
    IdeaEvent = apps.get_model("ideas", "IdeaEvent")
    IdeaNotice = apps.get_model("ideas", "IdeaNotice")
    TicketEvent = apps.get_model("tickets", "TicketEvent")
    events = IdeaEvent.objects.select_related("idea").order_by("idea_id", "created_at", "pk")
    for event in events.iterator():
        ticket_id = event.idea.ticket_id
        if ticket_id is None:
            continue  # every submitted idea has a ticket; rows written without one had no page
        line = _line_for(TicketEvent, event, ticket_id)
        IdeaNotice.objects.filter(event_id=event.pk).update(ticket_event=line)
    # only notices of lines of an idea without a ticket are left (there are none in a portal:
    # idea_submit always opens one); they would go with IdeaEvent anyway
    IdeaNotice.objects.filter(ticket_event__isnull=True).delete()


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
        migrations.RunPython(move_timeline, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="ideanotice", name="ideas_notice_once"),
        migrations.RemoveField(model_name="ideanotice", name="event"),
        migrations.RenameField(model_name="ideanotice", old_name="ticket_event", new_name="event"),
        migrations.AlterField(
            model_name="ideanotice",
            name="event",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="idea_notices",
                to="tickets.ticketevent",
            ),
        ),
        migrations.AddConstraint(
            model_name="ideanotice",
            constraint=models.UniqueConstraint(
                fields=("event", "recipient"), name="ideas_notice_once"
            ),
        ),
        migrations.DeleteModel(name="IdeaEvent"),
    ]

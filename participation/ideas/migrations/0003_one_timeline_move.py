"""Step 2 of 3 of 0003_one_timeline: the old IdeaEvent lines become lines of the ticket's timeline."""

from datetime import timedelta

from django.db import migrations

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
        ("ideas", "0003_one_timeline"),
    ]

    operations = [
        migrations.RunPython(move_timeline, migrations.RunPython.noop),
    ]

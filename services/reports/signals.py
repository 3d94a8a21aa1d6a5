"""Followers of a report hear of its ticket's public changes. The ticket spine knows nothing of
followers: a receiver of its domain signal (sent after commit) owes them through the outbox.

The map's precomputed clusters follow every change of a report (saved by a service or in the
Wagtail admin, deleted) and of its ticket (status, through the same domain signal): once the
change is committed, `clusters.report_map_sync` recounts the cells it left and entered."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from portal.tickets.models import TicketEvent
from portal.tickets.signals import ticket_event_recorded

from .clusters import report_map_sync
from .follow import report_follow_event_is_news, report_follow_owe_update
from .models import Report
from .services import SOURCE_KIND


def report_changed(sender, instance: Report, **kwargs):
    report_id = instance.pk

    def recount():
        report_map_sync(report_id=report_id)

    # robust: a failed recount is logged and repaired by the next rebuild; the change stands
    transaction.on_commit(recount, robust=True)


def ticket_event_map_sync(sender, event: TicketEvent, **kwargs):
    if event.ticket.source_kind != SOURCE_KIND:
        return
    for report_id in Report.objects.filter(ticket_id=event.ticket_id).values_list("pk", flat=True):
        report_map_sync(report_id=report_id)


def ticket_event_saved(sender, event: TicketEvent, **kwargs):
    if not report_follow_event_is_news(event):
        return
    # `event.ticket` is the object the service just saved: no query for other sources
    if event.ticket.source_kind != SOURCE_KIND:
        return
    report_follow_owe_update(event=event)


def connect() -> None:
    ticket_event_recorded.connect(
        ticket_event_saved, sender=TicketEvent, dispatch_uid="reports.follow.ticket_event_saved"
    )
    ticket_event_recorded.connect(
        ticket_event_map_sync, sender=TicketEvent, dispatch_uid="reports.map.ticket_event"
    )
    post_save.connect(report_changed, sender=Report, dispatch_uid="reports.map.report_saved")
    post_delete.connect(report_changed, sender=Report, dispatch_uid="reports.map.report_deleted")

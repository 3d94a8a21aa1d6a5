"""Followers of a report hear of its ticket's public changes. The ticket spine knows nothing of
followers: a receiver of its domain signal (sent after commit) owes them through the outbox."""

from portal.tickets.models import TicketEvent
from portal.tickets.signals import ticket_event_recorded

from .follow import report_follow_event_is_news, report_follow_owe_update
from .services import SOURCE_KIND


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

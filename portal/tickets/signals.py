"""The spine's domain signal: sources hear of a ticket's new events here, never through
`post_save` on TicketEvent.

`ticket_event_recorded` is sent once per new event, after the transaction that wrote it has
committed (never for a rolled-back one), with `send_robust`: a receiver that raises is logged by
Django and neither stops the other receivers nor reaches the request that changed the ticket.
Receivers get `sender=TicketEvent`, `event` (the committed row, its `ticket` loaded), `event_id`
and `ticket_id`. They run outside the writer's transaction, so each wraps its own writes in one
and is idempotent: once all receivers ran without error an `EventAnnouncement` row says so, and
the tickets relay (`services.ticket_relay`) announces events without one again (a process that
died between the commit and the receivers, a receiver that failed).
"""

import logging
from functools import partial

from django.db import transaction
from django.dispatch import Signal

ticket_event_recorded = Signal()

logger = logging.getLogger(__name__)


def _heard(event) -> bool:
    """Send the signal for `event`; whether every receiver succeeded."""
    from .models import TicketEvent

    results = ticket_event_recorded.send_robust(
        sender=TicketEvent, event=event, event_id=event.pk, ticket_id=event.ticket_id
    )
    if any(isinstance(result, Exception) for _receiver, result in results):
        # Django has logged the error; the relay announces the event again
        logger.warning("Ticket event %s is announced again by the relay", event.pk)
        return False
    return True


def announce(event) -> bool:
    """Send the signal for `event` now; record the announcement when every receiver succeeded.
    Returns whether it did."""
    return announce_all([event]) == 1


def announce_all(events) -> int:
    """`announce` for each of `events`, their announcements recorded in one write. Returns how
    many were announced."""
    from .models import EventAnnouncement

    heard = [event for event in events if _heard(event)]
    EventAnnouncement.objects.bulk_create(
        [EventAnnouncement(event_id=event.pk) for event in heard], ignore_conflicts=True
    )
    return len(heard)


def _send(events) -> None:
    announce_all(events)


def ticket_event_recorded_on_commit(event) -> None:
    """Announce `event` once the current transaction commits."""
    ticket_events_recorded_on_commit([event])


def ticket_events_recorded_on_commit(events) -> None:
    """Announce `events` once the current transaction commits."""
    if events:
        transaction.on_commit(partial(_send, list(events)), robust=True)

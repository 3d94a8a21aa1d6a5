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


def announce(event) -> bool:
    """Send the signal for `event` now; record the announcement when every receiver succeeded.
    Returns whether it did."""
    from .models import EventAnnouncement, TicketEvent

    results = ticket_event_recorded.send_robust(
        sender=TicketEvent, event=event, event_id=event.pk, ticket_id=event.ticket_id
    )
    if any(isinstance(result, Exception) for _receiver, result in results):
        # Django has logged the error; the relay announces the event again
        logger.warning("Ticket event %s is announced again by the relay", event.pk)
        return False
    EventAnnouncement.objects.get_or_create(event_id=event.pk)
    return True


def _send(event) -> None:
    announce(event)


def ticket_event_recorded_on_commit(event) -> None:
    """Announce `event` once the current transaction commits."""
    transaction.on_commit(partial(_send, event), robust=True)

"""What every write on tickets shares: the doorbell, receipt numbers, the timeline, the
citizen's and the department's e-mails (owed in the kernel outbox)."""

import logging
from functools import partial

from django.utils import timezone

from portal.core import doorbell, outbox
from portal.core.models import OutboxMessage
from portal.core.sequences import next_yearly_number
from portal.departments.models import Department

from ..constants import (
    NotificationKind,
)
from ..emails import citizen_address
from ..models import (
    Ticket,
    TicketEvent,
    TicketSequence,
)
from ..signals import ticket_event_recorded_on_commit, ticket_events_recorded_on_commit

logger = logging.getLogger(__name__)

RELAY_AFTER = timezone.timedelta(minutes=2)
RELAY_BATCH = 500
# how many pending tickets one routing task routes in one transaction (services.ticket_route_due)
ROUTE_BATCH = 50
# how far back the relay looks for events whose announcement was lost or failed
ANNOUNCE_WITHIN = timezone.timedelta(days=1)


class RoutingError(Exception):
    """No department can be found: retrying does not help, staff must look."""


# --- enqueueing: the broker is only the doorbell (portal.core.doorbell) ---------------------------
def _task(task_name: str):
    from .. import tasks

    return getattr(tasks, task_name)


def _enqueue(task_name: str, object_id: int) -> None:
    doorbell.ring(_task(task_name), object_id)


def _enqueue_on_commit(task_name: str, object_id: int) -> None:
    doorbell.ring_on_commit(partial(_task, task_name), object_id)


# one routing task per burst: the routing task does whatever is due (services.ticket_route_due)
ROUTE_BELL = "tickets.route"


def _route_soon(ticket_id: int) -> None:
    """Ring the routing task now, unless a ring waits already (it routes this ticket too)."""
    doorbell.ring_once(_task("ticket_route_task"), ticket_id, bell=ROUTE_BELL)


def _route_after_commit(ticket_id: int) -> None:
    doorbell.ring_once_on_commit(partial(_task, "ticket_route_task"), ticket_id, bell=ROUTE_BELL)


def _route_answered() -> None:
    """The routing task starts: tickets committed from now on ring again."""
    doorbell.answered(_task("ticket_route_task"), ROUTE_BELL)


# --- numbers and dates ----------------------------------------------------------------------------
def _next_number(year: int) -> str:
    """`2026-000123`: sequential per year, safe under concurrent submits (row lock)."""
    return f"{year}-{next_yearly_number(TicketSequence, year):06d}"


# --- the timeline ---------------------------------------------------------------------------------
def ticket_event_record(**fields) -> TicketEvent:
    """Add a line to a ticket's timeline, in the caller's transaction, and announce it to the
    sources (`signals.ticket_event_recorded`) once that transaction commits."""
    event = TicketEvent.objects.create(**fields)
    ticket_event_recorded_on_commit(event)
    return event


def ticket_events_record(events: list[TicketEvent]) -> list[TicketEvent]:
    """`ticket_event_record` for many lines at once (unsaved events, on several tickets): one
    INSERT, announced together once the caller's transaction commits."""
    events = TicketEvent.objects.bulk_create(events)
    ticket_events_recorded_on_commit(events)
    return events


# --- notifications: owed in the kernel's outbox (portal.core.outbox, tickets/emails.py) ---------
def _notify(**fields) -> OutboxMessage | None:
    """Owe the e-mail `kind` to the ticket's citizen or to the department, once per `key` (the
    keywords of `_notification`)."""
    item = _notification(**fields)
    return outbox.owe(item.pop("key"), **item)


def _notification(
    *,
    key: str,
    kind: str,
    ticket: Ticket | None = None,
    event: TicketEvent | None = None,
    department: Department | None = None,
) -> dict:
    """What `_notify` owes, as an item of `outbox.owe_many`."""
    if department is not None:
        recipient = department.email
    else:
        recipient = citizen_address(ticket)
    return {
        "key": f"tickets.{key}",
        "kind": f"tickets.{kind}",
        "recipient": recipient,
        "template": f"emails/tickets/{kind}",
        "context": {
            "ticket": ticket.pk if ticket else None,
            "event": event.pk if event else None,
            "department": department.pk if department else None,
        },
    }


def _citizen_reachable(ticket: Ticket) -> bool:
    return bool(ticket.contact_email or (ticket.citizen_id and ticket.citizen.email))


def _notify_citizen(ticket: Ticket, event: TicketEvent, kind=NotificationKind.STATUS) -> None:
    if _citizen_reachable(ticket):
        _notify(key=f"{kind}:{event.pk}", kind=kind, ticket=ticket, event=event)

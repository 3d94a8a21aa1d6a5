"""The idea's one timeline, its ticket's: public steps, the department's answers, their e-mails."""

from __future__ import annotations

from django.db import transaction

from portal.tickets.models import TicketEvent
from portal.tickets.services import ticket_record_step

from ..models import PoolIdea


def _step(
    idea: PoolIdea,
    *,
    public_status: str,
    public_message: str = "",
    status: str = "",
    actor=None,
    internal_note: str = "",
) -> TicketEvent | None:
    """A public step of the idea: a line of its ticket's timeline (the idea's one timeline), and
    the e-mails it owes the author and every supporter."""
    if idea.ticket_id is None:
        return None  # only ideas written straight into the table have no ticket, and no timeline
    event = ticket_record_step(
        ticket=idea.ticket,
        actor=actor,
        public_status=public_status,
        public_message=public_message,
        status=status,
        internal_note=internal_note,
    )
    _notices_owe(idea=idea, ticket_event=event, skip_author=False)
    return event


@transaction.atomic
def answer_from_ticket(*, ticket_event: TicketEvent) -> None:
    """A department's public answer on the idea's ticket (accepting it, a status with a text) is
    a line of the idea's timeline already, the ticket's. It is the idea's first answer if none
    came before, and it owes the supporters an e-mail (the ticket has told the author, its
    citizen). Idempotent: each person is owed each line once."""
    idea = PoolIdea.objects.filter(input__ticket_id=ticket_event.ticket_id).first()
    if idea is None:
        return
    PoolIdea.objects.filter(pk=idea.pk, first_answer_at__isnull=True).update(
        first_answer_at=ticket_event.created_at
    )
    _notices_owe(
        idea=idea,
        ticket_event=ticket_event,
        skip_author=ticket_event.ticket.citizen_id is not None,
    )


def _notices_owe(*, idea: PoolIdea, ticket_event: TicketEvent, skip_author: bool) -> None:
    """The e-mails a line of the idea's timeline owes its author and every supporter: one each,
    through their subscriptions and the outbox (participation/ideas/notices.py)."""
    from ..notices import notices_owe

    notices_owe(idea=idea, ticket_event=ticket_event, skip_author=skip_author)

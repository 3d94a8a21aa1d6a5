"""A department answers on the idea's ticket (accepting it, changing its status with a public
text). The answer is a line of the idea's timeline already, the ticket's; heard through the
spine's domain signal after the department's change has committed, it owes the supporters an
e-mail. Lines the Ideenpool wrote itself (`public_status`) owed theirs when they were written."""

from django.dispatch import receiver

from portal.tickets.constants import EventKind as TicketEventKind
from portal.tickets.models import TicketEvent
from portal.tickets.signals import ticket_event_recorded

from .constants import SOURCE_KIND

ANSWERS = frozenset({TicketEventKind.ACCEPTED, TicketEventKind.STATUS})


@receiver(ticket_event_recorded, sender=TicketEvent, dispatch_uid="ideas_answer_from_ticket")
def ticket_answer_owes_notices(sender, event: TicketEvent, **kwargs):
    from .services import answer_from_ticket

    if event.kind not in ANSWERS or event.public_status or not event.public_message.strip():
        return
    if event.ticket.source_kind != SOURCE_KIND:
        return
    answer_from_ticket(ticket_event=event)

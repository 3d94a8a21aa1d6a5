"""A department answers on the idea's ticket (accepting it, changing its status with a public
text): the answer becomes a line of the idea's public timeline."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from portal.tickets.constants import EventKind as TicketEventKind
from portal.tickets.models import TicketEvent

from .constants import SOURCE_KIND

MIRRORED = frozenset({TicketEventKind.ACCEPTED, TicketEventKind.STATUS})


@receiver(post_save, sender=TicketEvent, dispatch_uid="ideas_answer_from_ticket")
def ticket_answer_to_timeline(sender, instance: TicketEvent, created: bool, raw=False, **kwargs):
    from .services import answer_from_ticket, in_stage_change

    if raw or not created or in_stage_change.get():
        return
    if instance.kind not in MIRRORED or not instance.public_message.strip():
        return
    if instance.ticket.source_kind != SOURCE_KIND:
        return
    answer_from_ticket(ticket_event=instance)

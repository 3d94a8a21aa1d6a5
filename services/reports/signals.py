"""Followers of a report hear of its ticket's public changes. The ticket spine knows nothing of
followers: a receiver on its events schedules the e-mails after commit."""

from django.db.models.signals import post_save

from portal.tickets.models import TicketEvent

from .selectors import report_follow_recipients
from .services import SOURCE_KIND, follow_enqueue_on_commit, report_follow_event_is_news


def ticket_event_saved(sender, instance: TicketEvent, created: bool, raw: bool = False, **kwargs):
    if not created or raw or not report_follow_event_is_news(instance):
        return
    # `instance.ticket` is the object the service just saved: no query for other sources
    if instance.ticket.source_kind != SOURCE_KIND:
        return
    if report_follow_recipients(event=instance).exists():
        follow_enqueue_on_commit("report_follow_update_task", instance.pk)


def connect() -> None:
    post_save.connect(
        ticket_event_saved, sender=TicketEvent, dispatch_uid="reports.follow.ticket_event_saved"
    )

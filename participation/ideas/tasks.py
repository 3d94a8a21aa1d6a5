"""Celery tasks of the Ideenpool. They take ids and leave the work to the services."""

from celery import shared_task

from portal.tickets.tasks import RETRY

from .services import event_notices_send, notice_relay


@shared_task(name="ideas.event_notices_send", **RETRY)
def event_notices_send_task(event_id: int) -> int:
    return event_notices_send(event_id=event_id)


@shared_task(name="ideas.notice_relay")
def notice_relay_task() -> int:
    return notice_relay()

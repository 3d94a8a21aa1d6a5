"""Celery tasks of the Mängelmelder's followers. They take ids, reload, return early when the
work is done, and leave the work itself to the services."""

from celery import shared_task

from portal.tickets.tasks import RETRY

from .services import (
    report_follow_relay,
    report_follow_send_confirmation,
    report_follow_send_update,
)


@shared_task(name="reports.follow_confirm", **RETRY)
def report_follow_confirm_task(follow_id: int) -> bool:
    return report_follow_send_confirmation(follow_id=follow_id)


@shared_task(name="reports.follow_update", **RETRY)
def report_follow_update_task(event_id: int) -> int:
    return report_follow_send_update(event_id=event_id)


@shared_task(name="reports.follow_relay")
def report_follow_relay_task() -> dict:
    return report_follow_relay()

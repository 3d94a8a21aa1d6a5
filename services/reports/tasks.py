"""Celery tasks of the Mängelmelder's followers and supporters. They take ids, reload, return
early when the work is done, and leave the work itself to the services."""

from celery import shared_task

from portal.tickets.tasks import RETRY

from .photo_services import report_photo_drafts_purge
from .services import (
    report_follow_relay,
    report_follow_send_confirmation,
    report_follow_send_update,
    report_support_send_confirmation,
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


@shared_task(name="reports.support_confirm", **RETRY)
def report_support_confirm_task(support_id: int) -> bool:
    return report_support_send_confirmation(support_id=support_id)


@shared_task(name="reports.photo_drafts_purge")
def report_photo_drafts_purge_task() -> int:
    return report_photo_drafts_purge()

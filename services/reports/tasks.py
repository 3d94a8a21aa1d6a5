"""Celery tasks of the Mängelmelder. They take ids, reload, return early when the work is done,
and leave the work itself to the services. Its e-mails go through the outbox (portal.core)."""

from celery import shared_task

from .photo_services import report_photo_drafts_purge


@shared_task(name="reports.photo_drafts_purge")
def report_photo_drafts_purge_task() -> int:
    return report_photo_drafts_purge()

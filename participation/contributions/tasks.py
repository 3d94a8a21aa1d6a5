"""Celery tasks of the contributions app. They take ids, reload, return early when the work is
done, and leave the work itself to the services."""

from celery import shared_task

from portal.tickets.tasks import RETRY

from .moderation import moderation_notice_relay, moderation_notice_send


@shared_task(name="contributions.notice_send", **RETRY)
def moderation_notice_send_task(notice_id: int) -> bool:
    return moderation_notice_send(notice_id=notice_id)


@shared_task(name="contributions.notice_relay")
def moderation_notice_relay_task() -> int:
    return moderation_notice_relay()

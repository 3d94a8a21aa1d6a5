"""Celery tasks of following and the Mitmachpool. They take ids, reload, return early when the work
is done, and leave the work itself to the services. The scan runs as a beat job."""

from celery import shared_task

from portal.tickets.tasks import RETRY

from .services import (
    notice_send,
    notices_scan,
    pool_send_confirmation,
    pool_send_settings_link,
    project_follow_send_confirmation,
)


@shared_task(name="following.follow_confirm", **RETRY)
def following_follow_confirm_task(follow_id: int) -> bool:
    return project_follow_send_confirmation(follow_id=follow_id)


@shared_task(name="following.pool_confirm", **RETRY)
def following_pool_confirm_task(subscription_id: int) -> bool:
    return pool_send_confirmation(subscription_id=subscription_id)


@shared_task(name="following.pool_settings_link", **RETRY)
def following_pool_settings_link_task(subscription_id: int) -> bool:
    return pool_send_settings_link(subscription_id=subscription_id)


@shared_task(name="following.notice_send", **RETRY)
def following_notice_send_task(notice_id: int) -> int:
    return notice_send(notice_id=notice_id)


@shared_task(name="following.notices_scan")
def following_notices_scan_task() -> dict:
    return notices_scan()

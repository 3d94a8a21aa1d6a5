"""Celery tasks of following and the Mitmachpool. The scan runs as a beat job; its e-mails go
through the outbox (portal.core)."""

from celery import shared_task

from .services import notices_scan


@shared_task(name="following.notices_scan")
def following_notices_scan_task() -> dict:
    return notices_scan()

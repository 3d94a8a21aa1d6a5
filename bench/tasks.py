"""A trivial task for the routing benchmark's baseline (loaded by its worker only)."""

import redis
from celery import shared_task
from django.conf import settings


@shared_task(name="bench.count", ignore_result=True)
def count_task() -> None:
    redis.Redis.from_url(settings.CELERY_BROKER_URL).incr("bench:count")

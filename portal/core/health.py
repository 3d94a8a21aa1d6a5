"""Liveness of the parts the portal needs: database, Redis, a Celery worker.

The Celery app is the current one (`portal.celery`, set up by `portal/__init__.py`): the kernel
imports no app of the project, not even the shell's."""

import redis
from celery import current_app as celery_app
from django.db import connection


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure means "down"; the reason is not for a public endpoint
        return False


def check_redis() -> bool:
    try:
        client = redis.Redis.from_url(
            celery_app.conf.broker_url, socket_timeout=1, socket_connect_timeout=1
        )
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


def check_worker(timeout: float = 1.0) -> bool:
    try:
        replies = celery_app.control.ping(timeout=timeout)
    except Exception:
        return False
    return bool(replies)


def health() -> dict[str, bool]:
    database = check_database()
    redis_ok = check_redis()
    # without a broker nobody can answer a ping; don't wait for it
    worker = check_worker() if redis_ok else False
    return {"database": database, "redis": redis_ok, "worker": worker}

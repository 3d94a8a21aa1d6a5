"""Ringing the broker's doorbell: the database is the truth, a lost message only delays.

A publish that fails or times out opens the broker server's breaker (portal.core.breaker): for a
few seconds this process does not ring at all and leaves the work to the relays, and the cache
and the rate limits skip that Redis too when they share it. A stalled broker is not asked twice
within one publish: kombu's retries are for a refused or reset connection, where a new one
helps; after a timeout another try would only wait the socket timeout again.
"""

import logging
import socket
from functools import partial

from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from . import breaker

logger = logging.getLogger(__name__)

# what a broker in trouble raises; anything else is a fault of ours, not the broker's
BROKER_ERRORS = (OperationalError, RedisConnectionError, RedisTimeoutError, OSError)
_STALLED = (RedisTimeoutError, socket.timeout)


def _no_retry_when_stalled(exc, interval) -> None:
    """kombu's errback between publish retries: raising ends the retries."""
    if isinstance(exc, _STALLED):
        raise exc


def ring(task, object_id: int) -> None:
    """Enqueue `task(object_id)`; any failure is logged, never raised."""
    broker = breaker.breaker_for(task.app.conf.broker_url or "")
    if not broker.allows():
        logger.info("Broker unreachable, %s(%s) is left for the relay", task.name, object_id)
        return
    try:
        task.apply_async(
            args=[object_id],
            # merged into CELERY_TASK_PUBLISH_RETRY_POLICY by Celery
            retry_policy={"errback": _no_retry_when_stalled},
        )
    except BROKER_ERRORS as exc:
        broker.failed()
        logger.warning("Could not enqueue %s(%s), the relay will: %s", task.name, object_id, exc)
    except Exception:  # not the broker's fault; the row stays and a relay tries again
        logger.exception("Could not enqueue %s(%s), the relay will", task.name, object_id)
    else:
        broker.succeeded()


def ring_on_commit(task_getter, object_id: int) -> None:
    """Ring after the current transaction commits. `task_getter()` returns the task; it is
    called late so that services need not import their tasks modules at import time."""
    transaction.on_commit(partial(_ring_late, task_getter, object_id), robust=True)


def _ring_late(task_getter, object_id: int) -> None:
    ring(task_getter(), object_id)


# --- one ring for a burst -------------------------------------------------------------------------
# A task that does "whatever is due" (route the pending tickets) needs one message per burst, not
# one per row: `ring_once` rings only while no ring of the same bell waits in the queue. The mark
# is a short-lived key in the broker's Redis, set when a ring is sent and removed by the task as it
# starts (`answered`), before it reads what is due. So a row committed while a ring waits is read
# by that ring's task, and one committed after the task started rings anew. The task rings again
# itself while it leaves due work behind. A mark whose message got lost expires after
# `ONCE_SECONDS` (and the relays ring for what is still due). Redis in trouble is met as `ring`
# meets it: the breaker opens, and the relays take over.
ONCE_SECONDS = 30
_marks: dict[str, object] = {}


def _mark_client(url: str):
    client = _marks.get(url)
    if client is None:
        import redis

        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        client = _marks[url] = redis.Redis.from_url(
            url,
            socket_timeout=options.get("socket_timeout", 2),
            socket_connect_timeout=options.get("socket_connect_timeout", 2),
        )
    return client


def _mark_key(bell: str) -> str:
    return f"doorbell:waiting:{bell}"


def ring_once(task, object_id: int, *, bell: str) -> None:
    """`ring(task, object_id)` unless a ring of `bell` waits for its task still."""
    url = task.app.conf.broker_url or ""
    broker = breaker.breaker_for(url)
    if url.startswith(("redis://", "rediss://", "unix://")) and broker.allows():
        try:
            first = _mark_client(url).set(_mark_key(bell), 1, nx=True, ex=ONCE_SECONDS)
        except BROKER_ERRORS as exc:
            broker.failed()
            logger.warning(
                "Could not enqueue %s(%s), the relay will: %s", task.name, object_id, exc
            )
            return
        broker.succeeded()
        if not first:
            return  # the waiting ring's task reads this row too
    ring(task, object_id)


def ring_once_on_commit(task_getter, object_id: int, *, bell: str) -> None:
    """`ring_once` after the current transaction commits (see `ring_on_commit`)."""
    transaction.on_commit(lambda: ring_once(task_getter(), object_id, bell=bell), robust=True)


def answered(task, bell: str) -> None:
    """Called by the task of `bell` as it starts, before it reads what is due: rows committed
    from now on ring again."""
    url = task.app.conf.broker_url or ""
    broker = breaker.breaker_for(url)
    if not url.startswith(("redis://", "rediss://", "unix://")) or not broker.allows():
        return
    try:
        _mark_client(url).delete(_mark_key(bell))
    except BROKER_ERRORS as exc:
        # the mark expires soon; until then new rows wait for the task's own next ring or the relay
        if broker.failed():
            logger.warning("Could not clear the doorbell mark %s: %s", bell, exc)
    else:
        broker.succeeded()


def unpause() -> None:
    """Forget past failures of every Redis (a new broker, or a test that starts with a clean
    slate)."""
    breaker.reset()

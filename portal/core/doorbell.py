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


def unpause() -> None:
    """Forget past failures of every Redis (a new broker, or a test that starts with a clean
    slate)."""
    breaker.reset()

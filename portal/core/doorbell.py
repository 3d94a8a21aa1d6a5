"""Ringing the broker's doorbell: the database is the truth, a lost message only delays.

After a failed publish the broker is left alone for a few seconds: during an outage only one
request per pause waits for the connection to fail, the others leave the work to the relays.
"""

import logging
import time
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)

BROKER_PAUSE_SECONDS = 10
_paused_until = 0.0


def ring(task, object_id: int) -> None:
    """Enqueue `task(object_id)`; any broker failure is logged, never raised."""
    global _paused_until
    if time.time() < _paused_until:
        logger.info("Broker paused, %s(%s) is left for the relay", task.name, object_id)
        return
    try:
        task.apply_async(args=[object_id])
    except Exception as exc:  # any broker failure: the database row stays, a relay retries
        _paused_until = time.time() + BROKER_PAUSE_SECONDS
        logger.warning("Could not enqueue %s(%s), the relay will: %s", task.name, object_id, exc)


def ring_on_commit(task_getter, object_id: int) -> None:
    """Ring after the current transaction commits. `task_getter()` returns the task; it is
    called late so that services need not import their tasks modules at import time."""
    transaction.on_commit(partial(_ring_late, task_getter, object_id), robust=True)


def _ring_late(task_getter, object_id: int) -> None:
    ring(task_getter(), object_id)


def unpause() -> None:
    """Forget a past failure (a new broker, or a test that starts with a clean slate)."""
    global _paused_until
    _paused_until = 0.0

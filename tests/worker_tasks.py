"""Tasks and test-only behaviour the test worker loads in addition to the portal's
(`celery worker --include=tests.worker_tasks`). The portal's own code carries no test hooks."""

import logging
import os
import time

from celery import shared_task
from celery.signals import worker_process_init

logger = logging.getLogger(__name__)

# Seconds `ticket_route` waits inside its transaction, after the ticket row is locked, so that
# a test can kill the worker while a routing transaction is open. Set by the test for its worker.
ROUTE_DELAY_ENV = "TEST_WORKER_ROUTE_DELAY"
ROUTE_DELAY_LOG = "test worker: routing of ticket %s waits %s s inside its transaction"


@shared_task(name="tests.rename_department")
def rename_department(department_id: int, name: str) -> None:
    from portal.departments.models import Department

    Department.objects.filter(pk=department_id).update(name=name)


@worker_process_init.connect
def _slow_down_routing(**kwargs) -> None:
    """In each pool process: `ticket_route` resolves the department only after the delay."""
    delay = float(os.environ.get(ROUTE_DELAY_ENV) or 0)
    if not delay:
        return
    from portal.tickets.services import routing as services

    resolve = services.routing_resolve

    def slow_resolve(**resolve_kwargs):
        logger.warning(ROUTE_DELAY_LOG, resolve_kwargs.get("text", ""), delay)
        time.sleep(delay)
        return resolve(**resolve_kwargs)

    services.routing_resolve = slow_resolve

"""Celery tasks of the ticket spine. They take ids, reload, return early when the work is done,
and leave the work itself to the services."""

import logging

from celery import Task, shared_task
from django.db import transaction

# the kernel's retry policy for transient errors (the database or the mail server briefly away)
from portal.core.tasks import RETRY

from .models import Department
from .services import RoutingError, ticket_relay, ticket_route_due, ticket_routing_failed

logger = logging.getLogger(__name__)


class RouteTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        ticket_routing_failed(ticket_id=args[0], error=f"{type(exc).__name__}: {exc}")


@shared_task(name="tickets.route", base=RouteTask, dont_autoretry_for=(RoutingError,), **RETRY)
def ticket_route_task(ticket_id: int) -> int:
    """Route the ticket and, in a burst, other pending ones with it (services.ticket_route_due);
    the doorbells of those find them routed and return after one read."""
    return ticket_route_due(ticket_id=ticket_id)


@shared_task(name="tickets.relay")
def tickets_relay_task() -> dict:
    return ticket_relay()


@shared_task(name="tickets.daily_digest")
def tickets_daily_digest_task() -> int:
    """Each department gets one e-mail a day with its overdue and new tickets (owed in the
    outbox; the kernel's send task sends it)."""
    from .services import department_digest_create

    count = 0
    for department_id in Department.objects.filter(is_active=True).values_list("pk", flat=True):
        with transaction.atomic():
            if department_digest_create(department_id=department_id):
                count += 1
    return count


@shared_task(name="tickets.questions_due")
def tickets_questions_due_task() -> dict:
    """Unanswered questions to citizens: a reminder, later a documented closing."""
    from .services import ticket_questions_due

    return ticket_questions_due()

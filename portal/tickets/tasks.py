"""Celery tasks of the ticket spine. They take ids, reload, return early when the work is done,
and leave the work itself to the services."""

import logging
import smtplib

from celery import Task, shared_task
from django.db import DatabaseError, transaction
from django.utils import timezone

from .models import Department, FailedJob, Notification
from .services import RoutingError, ticket_relay, ticket_route, ticket_routing_failed

logger = logging.getLogger(__name__)

# Worth another try: the database or the mail server was briefly away.
TRANSIENT_ERRORS = (DatabaseError, smtplib.SMTPException, ConnectionError, TimeoutError, OSError)
RETRY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


class RouteTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        ticket_routing_failed(ticket_id=args[0], error=f"{type(exc).__name__}: {exc}")


class NotifyTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        notification = Notification.objects.filter(pk=args[0]).only("ticket_id").first()
        FailedJob.objects.create(
            task_name="tickets.notify",
            object_id=args[0],
            ticket_id=notification.ticket_id if notification else None,
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        logger.error("Notification %s failed for good: %s", args[0], exc)


@shared_task(name="tickets.route", base=RouteTask, dont_autoretry_for=(RoutingError,), **RETRY)
def ticket_route_task(ticket_id: int) -> None:
    ticket_route(ticket_id=ticket_id)


@shared_task(name="tickets.notify", base=NotifyTask, **RETRY)
def notification_send_task(notification_id: int) -> None:
    from .emails import build_message

    notification = (
        Notification.objects.select_related(
            "ticket__citizen", "ticket__category", "event", "department"
        )
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or notification.sent_at is not None:
        return
    message = build_message(notification)
    if message is not None:
        message.send()
    # a concurrent duplicate delivery may have sent too; e-mail is at-least-once by nature
    Notification.objects.filter(pk=notification_id, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )


@shared_task(name="tickets.relay")
def tickets_relay_task() -> dict:
    return ticket_relay()


@shared_task(name="tickets.daily_digest")
def tickets_daily_digest_task() -> int:
    """Each department gets one e-mail a day with its overdue and new tickets."""
    from .services import department_digest_create

    count = 0
    for department_id in Department.objects.filter(is_active=True).values_list("pk", flat=True):
        with transaction.atomic():
            if department_digest_create(department_id=department_id):
                count += 1
    return count

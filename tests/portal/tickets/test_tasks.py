"""Task behaviour: retries for transient errors, a failed-jobs entry when they run out, a daily
digest once per department and day. Run eagerly here; the real worker is in test_reliability."""

import datetime
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from portal.core.models import OutboxMessage
from portal.core.tasks import outbox_send_task
from portal.tickets import tasks
from portal.tickets.constants import RoutingState
from portal.tickets.models import FailedJob
from portal.tickets.services import ticket_route
from tests.factories import CategoryFactory, DepartmentFactory, open_ticket, routed_ticket

pytestmark = pytest.mark.django_db


def test_transient_database_errors_are_retried_until_it_works():
    department = DepartmentFactory()
    ticket = open_ticket(category=CategoryFactory(default_department=department))
    calls = {"n": 0}

    def flaky(*, ticket_id):
        calls["n"] += 1
        if calls["n"] <= 3:
            raise OperationalError("database is locked")
        return ticket_route(ticket_id=ticket_id)

    with mock.patch.object(tasks, "ticket_route_due", side_effect=flaky):
        tasks.ticket_route_task.apply(args=[ticket.pk])
    assert calls["n"] == 4
    ticket.refresh_from_db()
    assert ticket.routing_state == RoutingState.ROUTED
    assert not FailedJob.objects.exists()


def test_a_job_that_keeps_failing_ends_in_failed_jobs_without_a_loop():
    ticket = open_ticket(category=CategoryFactory(default_department=DepartmentFactory()))
    with mock.patch.object(
        tasks, "ticket_route_due", side_effect=OperationalError("gone")
    ) as route:
        result = tasks.ticket_route_task.apply(args=[ticket.pk])
    assert result.failed()
    assert route.call_count == tasks.RETRY["max_retries"] + 1
    ticket.refresh_from_db()
    assert ticket.routing_state == RoutingState.FAILED
    job = FailedJob.objects.get()
    assert job.task_name == "tickets.route" and job.object_id == ticket.pk
    assert "OperationalError" in job.error


def test_no_department_fails_at_once_without_retries():
    ticket = open_ticket()  # no rule, no category department, no fallback
    result = tasks.ticket_route_task.apply(args=[ticket.pk])
    assert result.failed()
    ticket.refresh_from_db()
    assert ticket.routing_state == RoutingState.FAILED
    assert FailedJob.objects.get().ticket == ticket


def test_mail_server_down_retries_and_the_submission_is_unaffected(mailoutbox):
    ticket = open_ticket(email="b@example.org")
    receipt = OutboxMessage.objects.get(context__ticket=ticket.pk, kind="tickets.receipt")
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionRefusedError
    ):
        result = outbox_send_task.apply(args=[receipt.pk])
    assert result.failed()
    receipt.refresh_from_db()
    assert receipt.sent_at is None
    assert receipt.failed_at is not None and receipt.last_error == "ConnectionRefusedError"
    ticket.refresh_from_db()
    assert ticket.pk and ticket.number  # the concern itself is untouched


def test_daily_digest_once_per_department_and_day(time_machine):
    busy = DepartmentFactory(email="busy@stadt.example")
    DepartmentFactory(email="idle@stadt.example")
    ticket = routed_ticket(department=busy)
    ticket.due_date = timezone.localdate() - datetime.timedelta(days=3)
    ticket.save(update_fields=["due_date"])

    assert tasks.tickets_daily_digest_task.apply().get() == 1
    assert tasks.tickets_daily_digest_task.apply().get() == 0  # same day: nothing new
    digest = OutboxMessage.objects.get(kind="tickets.department_digest")
    assert digest.context["department"] == busy.pk and digest.recipient == busy.email
    time_machine.move_to(timezone.now() + datetime.timedelta(days=1))
    assert tasks.tickets_daily_digest_task.apply().get() == 1

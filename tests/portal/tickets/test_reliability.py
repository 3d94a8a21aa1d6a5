"""The citizen's concern is never lost: a dead Redis and a killed worker, with the real ones."""

import datetime
import os
import signal
import time

import pytest
from django.utils import timezone

from portal.core.models import OutboxMessage
from portal.tickets.constants import EventKind, RoutingState
from portal.tickets.models import FailedJob, Ticket
from portal.tickets.services import ticket_relay
from tests.factories import CategoryFactory, DepartmentFactory, open_ticket
from tests.waiting import wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def routed(ticket: Ticket) -> bool:
    ticket.refresh_from_db()
    return ticket.routing_state == RoutingState.ROUTED


def test_dead_redis_keeps_the_ticket_and_the_relay_routes_it_later(
    own_redis, start_celery_worker, time_machine
):
    worker = start_celery_worker(own_redis)
    department = DepartmentFactory(email="tiefbau@stadt.example")
    category = CategoryFactory(default_department=department)
    own_redis.stop()

    started = time.monotonic()
    ticket = open_ticket(category=category, message="Ampel dunkel", email="b@example.org")
    assert time.monotonic() - started < 5  # a dead broker costs the citizen seconds at most
    assert ticket.number.startswith(f"{timezone.localdate().year}-")
    ticket.refresh_from_db()
    assert ticket.routing_state == RoutingState.PENDING

    own_redis.start()  # same port: the worker reconnects
    assert wait_until(worker.ping, 30)
    # nothing rang the doorbell: the ticket waits until the relay finds it
    time.sleep(1)
    assert not routed(ticket)
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=3), tick=True)
    counts = ticket_relay()
    assert counts["tickets"] == 1
    assert wait_until(lambda: routed(ticket), 30), worker.log_text()[-3000:]
    assert ticket.department == department


def test_killed_pool_process_routes_once_and_mails_the_department_once(
    redis_server, start_celery_worker, tmp_path
):
    mail_dir = tmp_path / "mail"
    worker = start_celery_worker(
        redis_server,
        TEST_WORKER_ROUTE_DELAY="4",  # tests/worker_tasks.py: routing waits inside its transaction
        TEST_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        TEST_EMAIL_FILE_PATH=str(mail_dir),
    )
    department = DepartmentFactory(email="gruen@stadt.example")
    category = CategoryFactory(default_department=department)

    ticket = open_ticket(category=category, message="Ast auf dem Gehweg")
    # the pool process has locked the ticket and now waits inside the routing transaction
    assert wait_until(lambda: "waits 4.0 s inside its transaction" in worker.log_text(), 15)
    children = worker.pool_children()
    assert children, worker.log_text()[-2000:]
    for pid in children:
        os.kill(pid, signal.SIGKILL)

    assert wait_until(lambda: routed(ticket), 45), worker.log_text()[-4000:]
    notification = OutboxMessage.objects.get(
        context__ticket=ticket.pk, kind="tickets.department_new"
    )
    assert wait_until(lambda: OutboxMessage.objects.get(pk=notification.pk).sent_at, 30)

    assert ticket.events.filter(kind=EventKind.ROUTED).count() == 1
    assert not FailedJob.objects.exists()  # a lost worker is no failure of the job
    mails = [p.read_text() for p in mail_dir.iterdir()] if mail_dir.exists() else []
    department_mails = [m for m in mails if "To: gruen@stadt.example" in m]
    assert len(department_mails) == 1, mails
    assert ticket.number in department_mails[0]
    assert "WorkerLostError" in worker.log_text() or "signal 9" in worker.log_text()

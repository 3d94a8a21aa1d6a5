"""Routing in bursts: one routing task routes the pending tickets it finds, each exactly once,
however many workers and deliveries there are; a lost doorbell is rung again by the relay."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from portal.core.models import OutboxMessage
from portal.departments.models import Department
from portal.tickets import tasks
from portal.tickets.constants import EventKind, RoutingState
from portal.tickets.models import FailedJob, RoutingRule, Ticket, TicketEvent
from portal.tickets.services import ticket_relay
from portal.tickets.services.base import ROUTE_BATCH
from tests.conftest import _use_broker
from tests.factories import CategoryFactory, DepartmentFactory, open_ticket
from tests.waiting import filed_mails, wait_until
from tests.worker_tasks import rename_department


def _routed_events(tickets) -> dict[int, int]:
    counts = {ticket.pk: 0 for ticket in tickets}
    for ticket_id in TicketEvent.objects.filter(
        ticket__in=tickets, kind=EventKind.ROUTED
    ).values_list("ticket_id", flat=True):
        counts[ticket_id] += 1
    return counts


def _all_routed(tickets) -> bool:
    return not Ticket.objects.filter(pk__in=[t.pk for t in tickets]).exclude(
        routing_state=RoutingState.ROUTED
    )


# --- in this process: what one task run does ------------------------------------------------------
@pytest.mark.django_db
def test_one_task_routes_the_pending_tickets_each_once_with_the_right_department():
    roads = DepartmentFactory(email="tiefbau@stadt.example")
    light = DepartmentFactory(email="licht@stadt.example")
    category = CategoryFactory(default_department=roads)
    RoutingRule.objects.create(name="Laternen", keyword="laterne", department=light)
    tickets = [
        open_ticket(category=category, message=f"Laterne Nr. {i} dunkel" if i % 3 else f"Loch {i}")
        for i in range(9)
    ]

    assert tasks.ticket_route_task.apply(args=[tickets[0].pk]).get() == 9
    for ticket in tickets:  # the doorbells of the others find their ticket routed
        assert tasks.ticket_route_task.apply(args=[ticket.pk]).get() == 0

    assert set(_routed_events(tickets).values()) == {1}
    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.routing_state == RoutingState.ROUTED
        assert ticket.routing_attempts == 1
        assert ticket.department == (light if "Laterne" in ticket.summary else roads)
        notice = OutboxMessage.objects.get(kind="tickets.department_new", context__ticket=ticket.pk)
        assert notice.recipient == ticket.department.email


@pytest.mark.django_db
def test_a_ticket_without_department_stays_for_its_own_task_and_does_not_stop_the_others():
    roads = DepartmentFactory()
    lost = open_ticket(category=CategoryFactory(), message="Wohin damit?")  # no department at all
    others = [open_ticket(category=CategoryFactory(default_department=roads)) for _ in range(3)]

    assert tasks.ticket_route_task.apply(args=[others[0].pk]).get() == 3
    lost.refresh_from_db()
    assert lost.routing_state == RoutingState.PENDING

    assert tasks.ticket_route_task.apply(args=[lost.pk]).failed()
    lost.refresh_from_db()
    assert lost.routing_state == RoutingState.FAILED
    assert FailedJob.objects.get().ticket == lost
    assert _all_routed(others)


@pytest.mark.django_db
def test_a_batch_reads_the_rules_once(django_assert_max_num_queries):
    roads = DepartmentFactory(email="tiefbau@stadt.example")
    category = CategoryFactory(default_department=roads)
    for i in range(5):
        RoutingRule.objects.create(name=f"Regel {i}", keyword=f"wort{i}", department=roads)
    tickets = [open_ticket(category=category, message=f"Schlagloch {i}") for i in range(20)]

    # the department's e-mail is owed per ticket (4 queries in the kernel's outbox); the rest of
    # the batch is a fixed number of queries, not one more per ticket
    with django_assert_max_num_queries(4 * len(tickets) + 12):
        assert tasks.ticket_route_task.apply(args=[tickets[-1].pk]).get() == 20
    assert _all_routed(tickets)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_whose_ticket_another_worker_holds_routes_the_others_instead_of_waiting():
    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("SQLite has one writer: a second routing transaction waits for the first")
    roads = DepartmentFactory()
    category = CategoryFactory(default_department=roads)
    held, *others = [open_ticket(category=category, message=f"Loch {i}") for i in range(4)]
    holding, release = threading.Event(), threading.Event()

    def other_worker():  # holds the first ticket as a routing transaction does
        try:
            with transaction.atomic():
                Ticket.objects.select_for_update().get(pk=held.pk)
                holding.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert holding.wait(10)
        assert tasks.ticket_route_task.apply(args=[held.pk]).get() == 3
    finally:
        release.set()
        thread.join(30)

    assert _all_routed(others)
    held.refresh_from_db()
    assert held.routing_state == RoutingState.PENDING  # the holder's to route
    assert tasks.ticket_route_task.apply(args=[held.pk]).get() == 1
    assert set(_routed_events([held, *others]).values()) == {1}


# --- with the real Redis and real workers ---------------------------------------------------------
@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_burst_is_routed_once_each_by_two_workers_and_each_department_mailed_once(
    redis_server, start_celery_worker, tmp_path
):
    mail_dir = tmp_path / "mail"
    mail = {
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "TEST_EMAIL_FILE_PATH": str(mail_dir),
    }
    start_celery_worker(redis_server, **mail)
    start_celery_worker(redis_server, **mail)
    roads = DepartmentFactory(email="tiefbau@stadt.example")
    light = DepartmentFactory(email="licht@stadt.example")
    category = CategoryFactory(default_department=roads)
    RoutingRule.objects.create(name="Laternen", keyword="laterne", department=light)

    tickets = [
        open_ticket(category=category, message=f"Laterne {i} dunkel" if i % 2 else f"Loch {i}")
        for i in range(50)
    ]

    assert wait_until(lambda: _all_routed(tickets), 120)
    notices = OutboxMessage.objects.filter(kind="tickets.department_new")
    assert wait_until(lambda: not notices.filter(sent_at__isnull=True).exists(), 120)
    assert set(_routed_events(tickets).values()) == {1}
    assert notices.count() == 50
    mails = filed_mails(mail_dir)
    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.routing_attempts == 1
        expected = light if "Laterne" in ticket.summary else roads
        assert ticket.department == expected
        about = [m for m in mails if ticket.number in m]
        assert len(about) == 1, ticket.number
        assert f"To: {expected.email}" in about[0]


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_routing_task_delivered_twice_routes_once(redis_server, start_celery_worker):
    start_celery_worker(redis_server)
    department = DepartmentFactory(email="gruen@stadt.example")
    ticket = open_ticket(category=CategoryFactory(default_department=department))
    tasks.ticket_route_task.delay(ticket.pk)  # the same message again, and once more
    tasks.ticket_route_task.delay(ticket.pk)
    # the one pool process takes the queue in order: once this has run, so have the deliveries
    rename_department.delay(department.pk, "Grünflächenamt")
    renamed = Department.objects.filter(pk=department.pk, name="Grünflächenamt")
    assert wait_until(renamed.exists, 30)

    ticket.refresh_from_db()
    assert ticket.routing_state == RoutingState.ROUTED
    assert ticket.routing_attempts == 1
    assert _routed_events([ticket]) == {ticket.pk: 1}
    assert OutboxMessage.objects.filter(kind="tickets.department_new").count() == 1


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backlog_rung_once_is_routed_batch_after_batch_without_the_relay(
    redis_server, start_celery_worker
):
    from portal.celery import app

    # one worker (two processes): its answer says it takes nothing any more; with two, the
    # broadcast may return before the second has heard it
    start_celery_worker(redis_server)
    department = DepartmentFactory(email="tiefbau@stadt.example")
    category = CategoryFactory(default_department=department)
    assert app.control.cancel_consumer("celery", reply=True)  # the worker takes nothing
    tickets = [
        open_ticket(category=category, message=f"Loch {i}") for i in range(3 * ROUTE_BATCH + 7)
    ]
    # one message for the burst (the e-mails wait in the queues of their priority)
    assert redis_server.client().llen("celery") == 1

    app.control.add_consumer("celery", reply=True)
    assert wait_until(lambda: _all_routed(tickets), 60)  # the relay never ran: beat is off
    assert set(_routed_events(tickets).values()) == {1}
    assert not Ticket.objects.exclude(routing_attempts=1).exists()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_doorbells_lost_in_redis_are_rung_again_by_the_relay(
    redis_server, start_celery_worker, time_machine
):
    department = DepartmentFactory(email="tiefbau@stadt.example")
    category = CategoryFactory(default_department=department)
    redis_server.client().flushall()
    _use_broker(redis_server.url)  # the doorbells ring on the real Redis ...
    tickets = [open_ticket(category=category, message=f"Ampel {i} dunkel") for i in range(5)]
    assert redis_server.client().llen("celery") == 1  # one ring for the burst
    # ... which loses the messages: the worker's start empties it
    worker = start_celery_worker(redis_server)
    assert redis_server.client().llen("celery") == 0
    assert not Ticket.objects.filter(
        pk__in=[t.pk for t in tickets], routing_state=RoutingState.ROUTED
    ).exists()

    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=3), tick=True)
    assert ticket_relay()["tickets"] == 5
    assert wait_until(lambda: _all_routed(tickets), 60), worker.log_text()[-3000:]
    assert set(_routed_events(tickets).values()) == {1}

"""Supports under load, against the database the suite runs on (SQLite here, PostgreSQL in CI):
200 people pressing "Unterstützen" at the same moment give 200 supports; one person pressing it
20 times at once gives one. Real HTTP requests through the whole stack, one thread and one
database connection each, released together by a barrier."""

import threading

import pytest
from django.db import connection
from django.test import Client

from participation.contributions.models import Support
from participation.ideas.constants import Step
from participation.ideas.models import PoolIdea, PoolStatistics
from portal.tickets.models import TicketEvent

from .factories import citizen, citizens, submitted_idea

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def press_together(clients: list[Client], url: str) -> list[int]:
    """POST `url` from every client at the same moment; the status codes, in client order."""
    barrier = threading.Barrier(len(clients))
    statuses: list[int | None] = [None] * len(clients)
    errors: list[BaseException] = []

    def press(index: int, client: Client) -> None:
        try:
            barrier.wait(timeout=60)
            statuses[index] = client.post(url).status_code
        except BaseException as exc:  # reported below, with the thread's traceback
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=press, args=(index, client)) for index, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors[:3]
    return statuses


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.slow
def test_200_people_at_once_give_exactly_200_supports(settings):
    settings.IDEAS_QUORUM_SUPPORTS = 150  # reached somewhere in the middle of the rush
    idea = submitted_idea(route=False)
    clients = [signed_in(user) for user in citizens(200)]
    url = f"/ideenpool/{idea.pk}/unterstuetzen/"

    statuses = press_together(clients, url)

    assert statuses == [302] * 200
    idea = PoolIdea.objects.get(pk=idea.pk)
    assert idea.support_count == 200
    assert Support.objects.filter(idea__pool_idea=idea).count() == 200
    # the quorum was reached once, by exactly one of them
    assert idea.quorum_reached_at is not None
    quorum_lines = TicketEvent.objects.filter(ticket_id=idea.ticket_id, public_status=Step.QUORUM)
    assert quorum_lines.count() == 1
    assert PoolStatistics.objects.get(pk=1).quorum_reached == 1


def test_one_person_pressing_20_times_at_once_gives_one_support():
    idea = submitted_idea(route=False)
    person = citizen()
    clients = [signed_in(person) for _ in range(20)]

    statuses = press_together(clients, f"/ideenpool/{idea.pk}/unterstuetzen/")

    assert sorted(statuses) == [302] + [409] * 19
    assert Support.objects.filter(idea__pool_idea=idea, user=person).count() == 1
    assert PoolIdea.objects.get(pk=idea.pk).support_count == 1


def test_withdrawing_20_times_at_once_takes_back_one_support():
    idea = submitted_idea(route=False)
    person = citizen()
    signed_in(person).post(f"/ideenpool/{idea.pk}/unterstuetzen/")
    others = citizens(3)
    for other in others:
        signed_in(other).post(f"/ideenpool/{idea.pk}/unterstuetzen/")
    assert PoolIdea.objects.get(pk=idea.pk).support_count == 4

    statuses = press_together(
        [signed_in(person) for _ in range(20)], f"/ideenpool/{idea.pk}/zurueckziehen/"
    )

    assert sorted(statuses) == [302] + [409] * 19
    assert PoolIdea.objects.get(pk=idea.pk).support_count == 3
    assert not Support.objects.filter(idea__pool_idea=idea, user=person).exists()

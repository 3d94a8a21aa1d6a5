"""The page "Konto löschen" says what will happen, and warns while cases are still handled."""

import pytest

from portal.tickets.constants import TicketStatus
from portal.tickets.models import Ticket
from tests.factories import UserFactory, open_ticket

pytestmark = pytest.mark.django_db


def test_open_cases_are_named_before_the_account_is_deleted(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get("/konto/loeschen/").content.decode()
    assert "gelöschtes Konto" in page and "noch bearbeitet" not in page

    ticket = open_ticket(user=user, message="Laterne defekt")
    page = client.get("/konto/loeschen/").content.decode()
    assert "Sie haben 1 Anliegen oder Antrag, der noch bearbeitet wird." in page

    Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.DONE)
    assert "noch bearbeitet" not in client.get("/konto/loeschen/").content.decode()


def test_an_empty_confirmation_shows_the_german_error(client):
    client.force_login(UserFactory())
    page = client.post("/konto/loeschen/", {}).content.decode()
    assert "Bitte bestätigen Sie, dass Sie Ihr Konto endgültig löschen möchten." in page

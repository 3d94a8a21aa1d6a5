"""The citizen's pages of an Anliegen: the status page behind the secret link shows the public
timeline only; "Meine Anliegen" shows the citizen's own tickets, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.contact.services import contact_submit
from portal.departments.models import DepartmentMembership
from portal.tickets.constants import TicketStatus
from portal.tickets.models import Category
from portal.tickets.services import (
    ticket_accept,
    ticket_add_note,
    ticket_assign,
    ticket_change_status,
    ticket_hand_over,
    ticket_route,
)
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return DepartmentFactory(name="Technische Betriebe", email="tbs-intern@stadt.example")


@pytest.fixture
def category(department):
    return Category.objects.create(
        name="Wilder Müll", slug="wilder-muell", sla_days=3, default_department=department
    )


@pytest.fixture
def clerk(department):
    user = UserFactory(first_name="Interna", last_name="Geheim", email="interna@stadt.example")
    DepartmentMembership.objects.create(department=department, user=user)
    return user


def open_ticket(category, *, user=None, message="Sperrmüll am Waldrand.", email=""):
    return contact_submit(
        kind="anliegen", category=category, message=message, user=user, email=email
    )


def test_status_page_shows_the_public_timeline_and_hides_internal_work(
    client, category, department, clerk
):
    ticket = open_ticket(category, email="buerger@example.org")
    ticket_route(ticket_id=ticket.pk)
    ticket_accept(ticket=ticket, actor=clerk)
    ticket_add_note(ticket=ticket, actor=clerk, note="Vertraulich: Anwohner ruft täglich an.")
    ticket_assign(ticket=ticket, actor=clerk, assignee=clerk)
    other = DepartmentFactory(name="Grünflächenamt", email="gfa-intern@stadt.example")
    ticket_hand_over(
        ticket=ticket, actor=clerk, department=other, reason="Liegt im Wald, nicht an der Straße."
    )
    ticket_change_status(
        ticket=ticket,
        actor=clerk,
        status=TicketStatus.IN_PROGRESS,
        public_message="Wir holen den Müll am Montag ab.",
        internal_note="Kolonne 3 einplanen.",
    )

    response = client.get(f"/anliegen/status/{ticket.access_token}/")

    assert response.status_code == 200
    text = response.content.decode()
    assert ticket.number in text
    assert "Wilder Müll" in text
    assert "in Bearbeitung" in text  # the public status label, written out
    assert "status-light--gelb" in text  # … next to the traffic light's icon
    assert "Anliegen eingegangen" in text
    assert "Ihr Anliegen wird geprüft." in text
    assert "Wir holen den Müll am Montag ab." in text
    assert "Grünflächenamt" in text  # the department's name is fine
    for secret in (
        "Interna",
        "Geheim",
        "interna@stadt.example",
        "Vertraulich",
        "Liegt im Wald",
        "Kolonne 3",
        "Zugeordnet an",
        "gfa-intern@stadt.example",
        "tbs-intern@stadt.example",
        "buerger@example.org",
        "Sperrmüll am Waldrand",  # the message itself: anyone with the link may look
    ):
        assert secret not in text, secret


def test_status_page_is_neither_indexed_nor_leaks_its_address(client, category):
    ticket = open_ticket(category)
    response = client.get(f"/anliegen/status/{ticket.access_token}/")

    assert '<meta name="robots" content="noindex' in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_status_page_for_an_unknown_token_is_not_found(client, category):
    open_ticket(category)
    assert client.get("/anliegen/status/gibt-es-nicht-0123456789abcdef/").status_code == 404
    assert client.get("/anliegen/eingegangen/gibt-es-nicht-0123/").status_code in (302, 404)


def test_the_receipt_page_belongs_to_the_browser_that_sent_the_concern(client, category):
    ticket = open_ticket(category)
    response = client.get(f"/anliegen/eingegangen/{ticket.access_token}/")
    assert response.status_code == 302
    assert response["Location"] == f"/anliegen/status/{ticket.access_token}/"


def test_a_closed_ticket_shows_its_reason(client, category, clerk):
    ticket = open_ticket(category)
    ticket_route(ticket_id=ticket.pk)
    ticket_change_status(
        ticket=ticket,
        actor=clerk,
        status=TicketStatus.NOT_FEASIBLE,
        public_message="Die Fläche gehört der Bahn; wir haben sie informiert.",
    )
    text = client.get(f"/anliegen/status/{ticket.access_token}/").content.decode()
    assert "abgeschlossen – nicht umsetzbar" in text
    assert "status-light--grau" in text
    assert "Die Fläche gehört der Bahn" in text


def test_the_owner_sees_their_own_message_on_the_status_page(client, category):
    user = UserFactory()
    ticket = open_ticket(category, user=user)
    client.force_login(user)
    text = client.get(f"/anliegen/status/{ticket.access_token}/").content.decode()
    assert "Sperrmüll am Waldrand." in text
    assert "/konto/anliegen/" in text


# --- Meine Anliegen ---------------------------------------------------------------------------
def test_meine_anliegen_needs_a_login(client):
    response = client.get("/konto/anliegen/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_meine_anliegen_lists_only_the_citizens_own_tickets_newest_first(client, category):
    user = UserFactory()
    first = open_ticket(category, user=user, message="Erstes Anliegen")
    second = open_ticket(category, user=user, message="Zweites Anliegen")
    stranger = open_ticket(category, user=UserFactory(), message="Fremdes Anliegen")
    anonymous = open_ticket(category, message="Anonymes Anliegen", email=user.email)
    client.force_login(user)

    text = client.get("/konto/anliegen/").content.decode()

    assert "Meine Anliegen" in text
    assert text.index(second.number) < text.index(first.number)
    assert f"/anliegen/status/{first.access_token}/" in text
    assert "eingegangen" in text
    for other in (stranger, anonymous):
        assert other.number not in text
        assert other.access_token not in text


def test_meine_anliegen_is_linked_from_the_account(client):
    client.force_login(UserFactory())
    text = client.get("/konto/").content.decode()
    assert 'href="/konto/anliegen/"' in text


def test_meine_anliegen_renders_in_a_fixed_number_of_queries(client, category):
    user = UserFactory()
    client.force_login(user)
    open_ticket(category, user=user)
    client.get("/konto/anliegen/")  # warm up: session, site settings

    with CaptureQueriesContext(connection) as one:
        assert client.get("/konto/anliegen/").status_code == 200
    for n in range(49):
        open_ticket(category, user=user, message=f"Anliegen {n}")
    with CaptureQueriesContext(connection) as fifty:
        response = client.get("/konto/anliegen/")

    assert response.status_code == 200
    assert len(fifty) == len(one), [q["sql"] for q in fifty.captured_queries]
    # 20 a page; the rest is one click away
    assert response.content.decode().count('class="card"') == 20
    assert 'href="?seite=3"' in response.content.decode()

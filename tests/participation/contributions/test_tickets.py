"""From contribution to department: "Als Anliegen weitergeben" opens one ticket, linked both ways,
and the project page shows the ticket's public status."""

import pytest

from participation.contributions import moderation, services
from participation.contributions.constants import ModerationAction
from participation.contributions.models import ModerationLog
from portal.departments.models import DepartmentMembership
from portal.tickets.constants import CategoryKind, TicketStatus
from portal.tickets.models import Ticket
from portal.tickets.services import ticket_change_status, ticket_route
from tests.factories import CategoryFactory, DepartmentFactory, StaffUserFactory

from .conftest import admin_client, citizen, client_for, moderator_user, open_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def vorhaben(vorhabenliste):
    return open_project(title="Innenstadt barrierefrei", slug="innenstadt")


@pytest.fixture
def department():
    return DepartmentFactory(name="Tiefbauamt", short_name="TBA")


@pytest.fixture
def category(department):
    return CategoryFactory(name="Gehwege", default_department=department)


@pytest.fixture
def idea(vorhaben):
    author = citizen(display_name="Rolli-Rita", email="rita@example.org")
    return services.idea_create(
        actor=author, project=vorhaben, title="Bordstein absenken",
        text="Am Postplatz ist der Bordstein zu hoch für Rollstühle.", address="Postplatz",
    )  # fmt: skip


def test_hand_over_once_linked_both_ways(vorhaben, idea, category):
    moderator = moderator_user()
    client = admin_client(moderator)
    url = f"/admin/beteiligung/idee/{idea.pk}/anliegen/"
    response = client.post(url, {"category": category.pk})
    assert response.status_code == 302

    ticket = Ticket.objects.get()
    idea.refresh_from_db()
    assert idea.ticket == ticket
    assert ticket.source == idea
    assert ticket.source_kind == "beteiligung"
    assert ticket.citizen == idea.author
    assert ticket.address == "Postplatz"
    assert "Bordstein absenken" in ticket.summary and "Innenstadt barrierefrei" in ticket.summary
    log = ModerationLog.objects.get(action=ModerationAction.TICKET_OPENED)
    assert ticket.number in log.reason and log.actor == moderator

    # a second click does nothing
    again = client.post(url, {"category": category.pk}, follow=True)
    assert again.status_code == 200
    assert "bereits als Anliegen" in again.content.decode()
    assert Ticket.objects.count() == 1
    assert ModerationLog.objects.filter(action=ModerationAction.TICKET_OPENED).count() == 1
    _ticket, created = moderation.contribution_to_ticket(
        actor=moderator, contribution=idea, category=category
    )
    assert created is False and Ticket.objects.count() == 1


def test_public_status_follows_the_ticket(vorhaben, idea, category, department):
    ticket, _created = moderation.contribution_to_ticket(
        actor=moderator_user(), contribution=idea, category=category
    )
    page = client_for(None).get(vorhaben.get_url()).content.decode()
    assert f"An die Verwaltung weitergegeben als Anliegen {ticket.number}" in page
    assert "status-light--rot" in page and "eingegangen" in page

    ticket = ticket_route(ticket_id=ticket.pk)
    ticket_change_status(
        ticket=ticket, actor=StaffUserFactory(), status=TicketStatus.IN_PROGRESS,
        public_message="Wir planen die Absenkung.",
    )  # fmt: skip
    page = client_for(None).get(vorhaben.get_url()).content.decode()
    assert "status-light--gelb" in page and "in Bearbeitung" in page
    idea_page = client_for(None).get(f"/mitmachen/idee/{idea.pk}/").content.decode()
    assert "in Bearbeitung" in idea_page


def test_staff_see_the_contribution_in_the_ticket(idea, category, department):
    ticket, _created = moderation.contribution_to_ticket(
        actor=moderator_user(), contribution=idea, category=category
    )
    ticket_route(ticket_id=ticket.pk)
    clerk = StaffUserFactory()
    DepartmentMembership.objects.create(department=department, user=clerk)
    page = admin_client(clerk).get(f"/admin/anliegen/{ticket.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Idee aus der Beteiligung" in html
    assert "Innenstadt barrierefrei" in html
    assert "Am Postplatz ist der Bordstein zu hoch" in html
    assert "Rolli-Rita" in html


def test_comment_can_be_handed_over_too(vorhaben, category):
    comment = services.comment_create(
        actor=citizen(), target=vorhaben, text="Die Ampel ist kaputt."
    )
    ticket, created = moderation.contribution_to_ticket(
        actor=moderator_user(), contribution=comment, category=category
    )
    assert created and ticket.source == comment
    assert "Die Ampel ist kaputt." in ticket.summary


def test_only_categories_for_concerns(idea):
    application = CategoryFactory(kind=CategoryKind.APPLICATION)
    response = admin_client(moderator_user()).post(
        f"/admin/beteiligung/idee/{idea.pk}/anliegen/", {"category": application.pk}
    )
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_citizens_cannot_hand_over(idea, category):
    with pytest.raises(services.ContributionRefused):
        moderation.contribution_to_ticket(actor=citizen(), contribution=idea, category=category)
    assert not Ticket.objects.exists()

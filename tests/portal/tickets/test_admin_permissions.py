"""Permission matrix of the back office: a clerk sees and changes only their departments'
tickets, in every view, action, bulk action, search and export; citizens get none of it."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from portal.departments.models import DepartmentMembership, MembershipRole
from portal.tickets.constants import TicketStatus
from portal.tickets.models import Ticket, TicketEvent
from tests.factories import DepartmentFactory, StaffUserFactory, UserFactory, routed_ticket

pytestmark = pytest.mark.django_db

QUEUE = "/admin/anliegen/"


@pytest.fixture
def world(login_with_second_factor):
    """Departments A and B with a clerk each, one ticket each, an admin and a citizen."""
    dept_a = DepartmentFactory(name="Tiefbauamt", short_name="TBA")
    dept_b = DepartmentFactory(name="Grünflächenamt", short_name="GFA")
    clerk_a = StaffUserFactory(email="clerk-a@stadt.example")
    clerk_b = StaffUserFactory(email="clerk-b@stadt.example")
    DepartmentMembership.objects.create(department=dept_a, user=clerk_a)
    DepartmentMembership.objects.create(department=dept_b, user=clerk_b)
    ticket_a = routed_ticket(department=dept_a, message="Schlagloch in der Hauptstraße")
    ticket_b = routed_ticket(department=dept_b, message="Baum umgestürzt im Stadtpark")

    def client_for(user) -> Client:
        client = Client()
        login_with_second_factor(client, user)
        return client

    return {
        "dept_a": dept_a,
        "dept_b": dept_b,
        "clerk_a": clerk_a,
        "clerk_b": clerk_b,
        "ticket_a": ticket_a,
        "ticket_b": ticket_b,
        "client_for": client_for,
    }


def listed(page: str, ticket: Ticket) -> bool:
    return f'href="{QUEUE}{ticket.pk}/"' in page


def snapshot(ticket: Ticket) -> tuple:
    ticket = Ticket.objects.get(pk=ticket.pk)
    return (
        ticket.status,
        ticket.department_id,
        ticket.assignee_id,
        ticket.acknowledged_at,
        ticket.duplicate_of_id,
        TicketEvent.objects.filter(ticket=ticket).count(),
    )


def action_posts(world) -> dict[str, dict]:
    """Valid input for every action, as clerk A would send it for their own ticket."""
    return {
        "annehmen": {"public_message": ""},
        "abgeben": {"department": world["dept_a"].pk, "reason": "Zuständig ist das Tiefbauamt"},
        "zuweisen": {"assignee": world["clerk_a"].pk},
        "status": {"status": TicketStatus.IN_PROGRESS, "public_message": "Wir sind dran."},
        "abschliessen": {"status": TicketStatus.DONE, "reason": "Erledigt."},
        "notiz": {"note": "Geheime Notiz"},
        "duplikat": {"original": world["ticket_a"].number},
    }


def test_clerk_gets_404_for_foreign_ticket_in_detail_and_every_action(world):
    client = world["client_for"](world["clerk_a"])
    ticket_b = world["ticket_b"]
    before = snapshot(ticket_b)

    assert client.get(f"{QUEUE}{ticket_b.pk}/").status_code == 404
    assert client.get(f"{QUEUE}{ticket_b.pk}/?status=in_bearbeitung").status_code == 404
    for action, data in action_posts(world).items():
        response = client.post(f"{QUEUE}{ticket_b.pk}/{action}/", data)
        assert response.status_code == 404, action
    assert snapshot(ticket_b) == before
    # a ticket that does not exist looks the same
    assert client.get(f"{QUEUE}999999/").status_code == 404

    # the own ticket works, so the 404 above is about permission, not broken URLs
    assert client.get(f"{QUEUE}{world['ticket_a'].pk}/").status_code == 200
    response = client.post(f"{QUEUE}{world['ticket_a'].pk}/notiz/", {"note": "Geprüft"})
    assert response.status_code == 302


def test_clerk_cannot_mark_own_ticket_as_duplicate_of_a_foreign_one(world):
    client = world["client_for"](world["clerk_a"])
    ticket_a = world["ticket_a"]
    before = snapshot(ticket_a)
    response = client.post(
        f"{QUEUE}{ticket_a.pk}/duplikat/", {"original": world["ticket_b"].number}
    )
    assert response.status_code == 400
    assert "Es gibt kein Anliegen mit der Nummer" in response.content.decode()
    assert snapshot(ticket_a) == before


def test_queue_and_search_show_only_own_departments_tickets(world):
    client = world["client_for"](world["clerk_a"])
    ticket_a, ticket_b = world["ticket_a"], world["ticket_b"]

    page = client.get(QUEUE).content.decode()
    assert listed(page, ticket_a) and not listed(page, ticket_b)
    assert ticket_b.number not in page
    for query in (ticket_b.number, "Baum", "Stadtpark"):
        page = client.get(QUEUE, {"q": query}).content.decode()
        assert not listed(page, ticket_b), query
        assert "Keine Anliegen für diese Auswahl." in page
    # not even by filtering for the foreign department
    page = client.get(QUEUE, {"department": world["dept_b"].pk, "f": "1"}).content.decode()
    assert not listed(page, ticket_b)


def test_export_contains_only_permitted_tickets(world):
    client = world["client_for"](world["clerk_a"])
    response = client.get(QUEUE + "export/", {"f": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert world["ticket_a"].number in body
    assert world["ticket_b"].number not in body
    assert "Baum umgestürzt" not in body
    body = client.get(QUEUE + "export/", {"q": world["ticket_b"].number}).content.decode()
    assert world["ticket_b"].number not in body


@pytest.mark.parametrize(
    "data",
    [
        {"action": "accept"},
        {"action": "status", "status": TicketStatus.IN_PROGRESS, "public_message": "Los geht's"},
        {"action": "hand_over", "department": "A", "reason": "Gehört zu uns"},
        {"action": "assign", "assignee": "clerk_a"},
    ],
    ids=["accept", "status", "hand_over", "assign"],
)
def test_bulk_actions_never_touch_foreign_tickets(world, data):
    client = world["client_for"](world["clerk_a"])
    ticket_a, ticket_b = world["ticket_a"], world["ticket_b"]
    data = dict(data)
    if data.get("department") == "A":
        # clerk A tries to pull B's ticket into their own department
        data["department"] = world["dept_a"].pk
    if data.get("assignee") == "clerk_a":
        data["assignee"] = world["clerk_a"].pk
    before_b = snapshot(ticket_b)
    before_a = snapshot(ticket_a)
    response = client.post(
        QUEUE + "sammelaktion/",
        {**data, "ticket": [ticket_a.pk, ticket_b.pk], "next": QUEUE},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert snapshot(ticket_b) == before_b
    assert ticket_b.number not in page
    assert "1 ausgewählte Anliegen wurden nicht gefunden." in page
    if data["action"] != "hand_over":  # handing A's ticket to its own department is refused
        assert snapshot(ticket_a) != before_a
        assert f"1 Anliegen bearbeitet: {ticket_a.number}" in page
    else:
        assert "Das Anliegen liegt bereits bei diesem Fachbereich." in page


def test_bulk_action_with_only_foreign_ids_changes_nothing(world):
    client = world["client_for"](world["clerk_a"])
    ticket_b = world["ticket_b"]
    before = snapshot(ticket_b)
    client.post(QUEUE + "sammelaktion/", {"action": "accept", "ticket": [ticket_b.pk]})
    assert snapshot(ticket_b) == before


def test_admin_sees_and_handles_both_departments(world):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client = world["client_for"](admin)
    page = client.get(QUEUE).content.decode()
    assert world["ticket_a"].number in page and world["ticket_b"].number in page
    for ticket in (world["ticket_a"], world["ticket_b"]):
        assert client.get(f"{QUEUE}{ticket.pk}/").status_code == 200
    body = client.get(QUEUE + "export/").content.decode("utf-8-sig")
    assert world["ticket_a"].number in body and world["ticket_b"].number in body
    response = client.post(f"{QUEUE}{world['ticket_b'].pk}/annehmen/", {})
    assert response.status_code == 302
    assert Ticket.objects.get(pk=world["ticket_b"].pk).status == TicketStatus.IN_REVIEW


def test_clerk_b_does_not_see_clerk_a_tickets(world):
    client = world["client_for"](world["clerk_b"])
    page = client.get(QUEUE).content.decode()
    assert world["ticket_b"].number in page and world["ticket_a"].number not in page
    assert client.get(f"{QUEUE}{world['ticket_a'].pk}/").status_code == 404


ALL_GET = [
    QUEUE,
    QUEUE + "export/",
    QUEUE + "statistik/",
    QUEUE + "fehlgeschlagen/",
    QUEUE + "regeln-testen/",
]


def all_urls(world) -> tuple[list[str], list[str]]:
    pk = world["ticket_a"].pk
    gets = [*ALL_GET, f"{QUEUE}{pk}/"]
    posts = [f"{QUEUE}{pk}/{action}/" for action in action_posts(world)]
    return gets, [*posts, QUEUE + "sammelaktion/"]


@pytest.mark.parametrize("logged_in", [True, False], ids=["citizen", "anonymous"])
def test_citizens_reach_no_back_office_view(world, client, logged_in):
    if logged_in:
        client.force_login(UserFactory(email="buerger@example.org"))
    before = snapshot(world["ticket_a"])
    gets, posts = all_urls(world)
    for url in gets:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/"), url
    for url in posts:
        response = client.post(url, {"action": "accept", "ticket": [world["ticket_a"].pk]})
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/"), url
    assert snapshot(world["ticket_a"]) == before


def test_staff_without_department_has_no_queue(world):
    stranger = StaffUserFactory(email="ohne-amt@stadt.example")
    client = world["client_for"](stranger)
    for url in ALL_GET + [f"{QUEUE}{world['ticket_a'].pk}/"]:
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        if response.status_code == 302:
            assert response["Location"] == "/admin/", url
    # and no menu item "Anliegen"
    assert "/admin/anliegen/" not in client.get("/admin/").content.decode()


def test_clerk_reaches_neither_statistics_nor_failed_jobs_nor_rule_tester(world):
    client = world["client_for"](world["clerk_a"])
    for url in (QUEUE + "statistik/", QUEUE + "fehlgeschlagen/", QUEUE + "regeln-testen/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/admin/", url
    dashboard = client.get("/admin/").content.decode()
    assert "/admin/anliegen/" in dashboard  # the queue is in the menu ...
    assert "/admin/anliegen/statistik/" not in dashboard  # ... the rest is not
    assert "/admin/anliegen/fehlgeschlagen/" not in dashboard


def test_head_sees_statistics_of_own_department_only(world):
    head = StaffUserFactory(email="leitung@stadt.example")
    head.groups.add(Group.objects.get(name="Fachbereichsleitung"))
    DepartmentMembership.objects.create(
        department=world["dept_a"], user=head, role=MembershipRole.HEAD
    )
    client = world["client_for"](head)
    page = client.get(QUEUE + "statistik/").content.decode()
    assert "Tiefbauamt" in page
    assert "Grünflächenamt" not in page

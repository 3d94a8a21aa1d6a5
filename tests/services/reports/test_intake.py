"""Staff enter an Anliegen received by phone, letter, e-mail or at the counter: it gets a number,
the citizen's e-mails and a timeline like one sent online, and its channel is counted."""

import re

import pytest
from django.contrib.auth.models import Group

from portal.departments.models import DepartmentMembership, MembershipRole
from portal.tickets.constants import Channel, EventKind, RoutingState
from portal.tickets.models import RoutingRule, Ticket
from portal.tickets.services import ticket_route
from services.reports.models import Report
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    DistrictFactory,
    StaffUserFactory,
    square,
)

pytestmark = pytest.mark.django_db

URL = "/admin/anliegen-erfassen/"
CALLER = "anruferin@example.org"


@pytest.fixture
def setup(db):
    district = DistrictFactory(name="Mitte", area=square(7.55, 51.43, 0.05))
    department = DepartmentFactory(name="Tiefbauamt")
    category = CategoryFactory(name="Schlagloch", slug="schlagloch")
    RoutingRule.objects.create(position=1, name="Straßen", category=category, department=department)
    clerk = StaffUserFactory(first_name="Tina", last_name="Telefon")
    DepartmentMembership.objects.create(department=department, user=clerk)
    return {"district": district, "department": department, "category": category, "clerk": clerk}


def _form(client) -> str:
    page = client.get(URL)
    assert page.status_code == 200
    return re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)


def _post(client, token, setup, **fields):
    data = {
        "form_token": token,
        "channel": Channel.PHONE,
        "category": setup["category"].pk,
        "address": "Hagener Straße 12",
        "latitude": "51.441000",
        "longitude": "7.561000",
        "description": "Tiefes Schlagloch vor der Bäckerei, Radfahrer weichen auf die Fahrbahn aus",
        "name": "Erika Anruf",
        "email": CALLER,
        **fields,
    }
    return client.post(URL, data)


def test_a_phone_anliegen_is_handled_like_a_web_one(
    commit_each_request, login_with_second_factor, setup, mailoutbox
):
    client = commit_each_request
    login_with_second_factor(client, setup["clerk"])
    token = _form(client)

    response = _post(client, token, setup)

    assert response.status_code == 302
    ticket = Ticket.objects.get()
    report = Report.objects.get(ticket=ticket)
    assert re.fullmatch(r"\d{4}-\d{6}", ticket.number)
    assert ticket.channel == report.channel == Channel.PHONE
    assert ticket.contact_email == CALLER
    created = ticket.events.get(kind=EventKind.CREATED)
    assert created.actor == setup["clerk"]
    # the receipt with the number and the status link, as for an online report
    receipts = [m for m in mailoutbox if m.to == [CALLER]]
    assert len(receipts) == 1
    assert ticket.number in receipts[0].body
    assert ticket.access_token in receipts[0].body

    ticket_route(ticket_id=ticket.pk)
    ticket.refresh_from_db()
    assert ticket.routing_state == RoutingState.ROUTED
    assert ticket.department == setup["department"]
    # the clerk lands on it (routed now, so their department's)
    detail = client.get(f"/admin/anliegen/{ticket.pk}/").content.decode()
    assert ticket.number in detail
    assert "Telefon" in detail

    # the citizen follows it on the status page, like any other
    status = client.get(f"/anliegen/status/{ticket.access_token}/").content.decode()
    assert ticket.number in status and "eingegangen" in status
    assert "Tina" not in status and "Erika" not in status


def test_a_double_submit_enters_one_anliegen(commit_each_request, login_with_second_factor, setup):
    client = commit_each_request
    login_with_second_factor(client, setup["clerk"])
    token = _form(client)
    first = _post(client, token, setup)
    second = _post(client, token, setup)
    assert Ticket.objects.count() == 1
    assert first.status_code == second.status_code == 302


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"channel": "online"}, "Bitte wählen Sie einen der genannten Wege."),
        ({"channel": ""}, "Bitte wählen Sie, wie das Anliegen eingegangen ist."),
        ({"description": "  "}, "Bitte beschreiben Sie den Mangel."),
        ({"latitude": "52.52", "longitude": "13.40"}, "außerhalb des Stadtgebiets"),
        ({"email": "keine-adresse"}, "gültige E-Mail-Adresse"),
    ],
)
def test_wrong_input_is_refused_in_german(client, login_with_second_factor, setup, fields, message):
    login_with_second_factor(client, setup["clerk"])
    response = _post(client, _form(client), setup, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Ticket.objects.exists()


def test_citizens_and_outsiders_cannot_enter(client, login_with_second_factor, setup):
    from tests.factories import UserFactory

    login_with_second_factor(client, UserFactory(is_staff=True))
    assert client.get(URL).status_code in (302, 403)


def test_the_channels_are_counted_in_the_statistics(
    commit_each_request, login_with_second_factor, setup
):
    client = commit_each_request
    head = StaffUserFactory()
    head.groups.add(Group.objects.get(name="Fachbereichsleitung"))
    DepartmentMembership.objects.create(
        department=setup["department"], user=head, role=MembershipRole.HEAD
    )
    login_with_second_factor(client, setup["clerk"])
    for channel in (Channel.PHONE, Channel.PHONE, Channel.LETTER):
        assert _post(client, _form(client), setup, channel=channel).status_code == 302
    for ticket in Ticket.objects.all():
        ticket_route(ticket_id=ticket.pk)
    client.logout()
    login_with_second_factor(client, head)
    page = client.get("/admin/anliegen/statistik/").content.decode()
    counts = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td></tr>', page))
    assert counts["Telefon"] == "2"
    assert counts["Brief"] == "1"
    assert counts["online"] == "0"

"""Benachrichtigungen für ein Gebiet, over HTTP: a district or a radius around an address, one
e-mail per new report or a daily digest, each after the double opt-in, never about a report
outside the area or not published, and never twice."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from portal.core.subscriptions.models import State, Subscription
from portal.tickets.constants import PublishMode
from services.reports.area_alerts import area_digests_owe
from services.reports.services import report_publish, report_submit
from tests.factories import CategoryFactory, DistrictFactory, square

pytestmark = pytest.mark.django_db

URL = "/maengel/benachrichtigungen/"
# two districts side by side; the Hagener Straße of the street list is in Mitte
MITTE = (7.55, 51.43)
ERGSTE = (7.60, 51.43)


@pytest.fixture
def city(db):
    mitte = DistrictFactory(name="Mitte", area=square(*MITTE, 0.05))
    ergste = DistrictFactory(name="Ergste", area=square(*ERGSTE, 0.05))
    now = CategoryFactory(name="Schlagloch", slug="loch", publish_mode=PublishMode.IMMEDIATE)
    later = CategoryFactory(name="Graffiti", slug="graffiti", publish_mode=PublishMode.AFTER_REVIEW)
    return {"mitte": mitte, "ergste": ergste, "now": now, "later": later}


def report(category, lat, lon):
    return report_submit(
        category=category, description="Meldung", latitude=Decimal(str(lat)),
        longitude=Decimal(str(lon)), name="Meldende Person", email="meldet@example.org",
    )  # fmt: skip


def subscribe(client, mailoutbox, **data):
    """Ask, then follow the confirmation link from the e-mail, as a person would."""
    before = len(mailoutbox)
    response = client.post(URL, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    (mail,) = mailoutbox[before:]
    assert "Bitte bestätigen" in mail.subject
    link = re.search(r"http://\S+/benachrichtigungen/bestaetigen/\S+/", mail.body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert client.post(path).status_code == 302
    return Subscription.objects.get(email=data["email"], target_id=data.get("district") or None)


def mails_to(mailoutbox, address):
    return [m for m in mailoutbox if m.to == [address]]


def test_each_new_report_in_the_district_and_only_there(
    commit_each_request, city, mailoutbox, django_capture_on_commit_callbacks
):
    client = commit_each_request
    data = {"area": "stadtteil", "district": city["mitte"].pk, "frequency": "einzeln"}
    subscription = subscribe(client, mailoutbox, email="nachbarin@example.org", **data)
    assert subscription.state == State.CONFIRMED

    with django_capture_on_commit_callbacks(execute=True):
        inside = report(city["now"], 51.44, 7.56)
        report(city["now"], 51.44, 7.61)  # Ergste
        waiting = report(city["later"], 51.45, 7.57)  # not published yet
    mails = mails_to(mailoutbox, "nachbarin@example.org")[1:]  # after the confirmation
    assert len(mails) == 1
    assert inside.ticket.number in mails[0].subject and inside.ticket.number in mails[0].body
    assert "Meldende Person" not in mails[0].body and "meldet@example.org" not in mails[0].body
    # published after the review: now it is news, once
    with django_capture_on_commit_callbacks(execute=True):
        report_publish(report=waiting)
        report_publish(report=waiting)
    mails = mails_to(mailoutbox, "nachbarin@example.org")[1:]
    assert len(mails) == 2 and waiting.ticket.number in mails[1].body
    # one click in the e-mail ends it
    unsubscribe = re.search(r"http://\S+/benachrichtigungen/abmelden/\S+/", mails[1].body)
    path = "/" + unsubscribe.group(0).split("://", 1)[1].split("/", 1)[1]
    assert Client().post(path).status_code in (200, 302)
    with django_capture_on_commit_callbacks(execute=True):
        report(city["now"], 51.44, 7.56)
    assert len(mails_to(mailoutbox, "nachbarin@example.org")) == 3


def test_a_daily_digest_of_a_radius_around_an_address(
    commit_each_request, city, mailoutbox, django_capture_on_commit_callbacks
):
    client = commit_each_request
    data = {"area": "umkreis", "address": "Hagener Straße 12", "radius": "250"}
    subscription = subscribe(
        client, mailoutbox, email="anwohner@example.org", frequency="taeglich", **data
    )
    centre = (subscription.scope["lat"], subscription.scope["lon"])
    assert subscription.scope["radius_m"] == 250
    day = datetime.date(2027, 3, 2)
    with time_machine.travel(datetime.datetime(2027, 3, 2, 10, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            near = [report(city["now"], centre[0] + 0.001, centre[1]) for _ in range(2)]  # ~110 m
            report(city["now"], centre[0] + 0.01, centre[1])  # ~1.1 km: outside
    assert len(mails_to(mailoutbox, "anwohner@example.org")) == 1  # the confirmation only
    with time_machine.travel(datetime.datetime(2027, 3, 3, 6, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert area_digests_owe(day) == 1
            assert area_digests_owe(day) == 0  # once a day
    digest = mails_to(mailoutbox, "anwohner@example.org")[-1]
    assert "2 neue Mängelmeldungen am 2. März 2027" in digest.subject
    for item in near:
        assert item.ticket.number in digest.body
    assert "Hagener" in digest.body  # the area the person chose
    # a day without news: no e-mail
    with django_capture_on_commit_callbacks(execute=True):
        assert area_digests_owe(datetime.date(2027, 3, 3)) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"area": "stadtteil", "frequency": "einzeln"}, "Bitte wählen Sie einen Stadtteil."),
        ({"area": "umkreis", "frequency": "einzeln"}, "Bitte geben Sie eine Adresse an."),
        (
            {"area": "umkreis", "address": "Gibtsnichtweg 1", "radius": "500", "frequency": "x"},
            "Bitte wählen Sie, wie oft",
        ),
        (
            {
                "area": "umkreis",
                "address": "Gibtsnichtweg 1",
                "radius": "500",
                "frequency": "einzeln",
            },
            "Diese Adresse kennen wir nicht.",
        ),
        ({"area": "stadtteil", "district": "999", "frequency": "einzeln"}, "einen der Stadtteile"),
    ],
)
def test_wrong_input_is_refused_in_german(client, city, data, message):
    response = client.post(URL, {"email": "a@example.org", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Subscription.objects.exists()

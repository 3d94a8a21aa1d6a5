"""The Mitmachpool page: subscribe by Handlungsfeld and Stadtteil with double opt-in, change the
choice through the link in the e-mails, one-click unsubscribe."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from portal.core.subscriptions.models import State
from portal.core.tasks import outbox_send_task
from tests.factories import DistrictFactory, UserFactory
from tests.participation.factories import field_of_action

from .conftest import confirmations, confirmed_subscription, links, pool_subscriptions, run_enqueued

pytestmark = pytest.mark.django_db

EMAIL = "erika@example.org"


@pytest.fixture
def choices(db):
    return {
        "mobility": field_of_action("ZM 02", "Mobilität"),
        "climate": field_of_action("ZM 05", "Klima"),
        "ergste": DistrictFactory(name="Ergste"),
        "villigst": DistrictFactory(name="Villigst"),
    }


def subscribe(client, callbacks, *, email=EMAIL, fields=(), districts=(), **extra):
    data = {"email": email, "fields_of_action": [f.pk for f in fields]}
    data["districts"] = [d.pk for d in districts]
    data.update(extra)
    with callbacks(execute=True):
        return client.post("/mitmachpool/", data)


def test_the_page_offers_topics_and_districts(client, choices):
    response = client.get("/mitmachpool/")
    assert response.status_code == 200
    text = response.content.decode()
    assert '<h1 class="page-title">Mitmachpool</h1>' in text
    assert "Mobilität" in text and "Villigst" in text
    assert "ZM 02" not in text
    assert '<legend class="field__label">Themen (Handlungsfelder)</legend>' in text
    assert "Wählen Sie nichts, erhalten Sie Nachrichten zu allen Themen." in text


def test_subscribe_confirm_and_change_the_choice(
    client, choices, enqueued, django_capture_on_commit_callbacks
):
    response = subscribe(
        client, django_capture_on_commit_callbacks,
        fields=[choices["mobility"]], districts=[choices["ergste"]],
    )  # fmt: skip
    assert response.status_code == 302
    subscription = pool_subscriptions().get()
    assert not subscription.is_active
    assert subscription.scope["fields_of_action"] == [choices["mobility"].pk]
    assert subscription.scope["districts"] == [choices["ergste"].pk]
    assert confirmations(enqueued) == [subscription.pk] and len(enqueued) == 1
    assert "Fast geschafft" in client.get("/mitmachpool/").content.decode()

    run_enqueued(enqueued)
    message = mail.outbox[0]
    assert message.to == [EMAIL] and "Mitmachpool" in message.subject
    assert "Themen: Mobilität" in message.body and "Stadtteile: Ergste" in message.body
    found = links(message)
    assert set(found) == {"pool-confirm", "pool-settings", "pool-unsubscribe"}
    assert (
        message.extra_headers["List-Unsubscribe"]
        == f"<http://testserver{found['pool-unsubscribe']}>"
    )

    assert "Ja, ich möchte in den Mitmachpool" in client.get(found["pool-confirm"]).content.decode()
    subscription.refresh_from_db()
    assert not subscription.is_active
    response = client.post(found["pool-confirm"])
    assert response["Location"] == found["pool-settings"]
    subscription.refresh_from_db()
    assert subscription.is_active

    page = client.get(found["pool-settings"]).content.decode()
    assert "Die E-Mails gehen an erika@example.org." in page
    response = client.post(
        found["pool-settings"],
        {"fields_of_action": [choices["climate"].pk], "districts": []},
    )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.scope["fields_of_action"] == [choices["climate"].pk]
    assert subscription.scope["districts"] == []
    assert "Ihre Auswahl ist gespeichert." in client.get(found["pool-settings"]).content.decode()


def test_subscribing_again_does_not_let_others_change_the_choice(
    client, choices, enqueued, django_capture_on_commit_callbacks
):
    subscription = confirmed_subscription(EMAIL, fields=[choices["mobility"]])
    subscribe(Client(), django_capture_on_commit_callbacks, fields=[choices["climate"]])
    subscription.refresh_from_db()
    assert subscription.scope["fields_of_action"] == [choices["mobility"].pk]
    assert len(enqueued) == 1
    message_id = enqueued[0]
    run_enqueued(enqueued)
    message = mail.outbox[0]
    assert "Sie sind bereits im Mitmachpool angemeldet." in message.body
    assert links(message)["pool-settings"] == (
        f"/mitmachpool/einstellungen/{subscription.manage_code}/"
    )
    # the task delivered twice sends the link once
    assert outbox_send_task.apply(args=[message_id]).get() is False
    assert len(mail.outbox) == 1


def test_a_signed_in_person_with_a_verified_address_is_subscribed_at_once(
    client, choices, enqueued, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(email="konto@example.org"))
    assert 'name="email"' not in client.get("/mitmachpool/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/mitmachpool/", {"districts": [choices["villigst"].pk]})
    subscription = pool_subscriptions().get()
    assert subscription.is_active and subscription.email == "konto@example.org"
    assert enqueued == []
    assert "Sie sind im Mitmachpool angemeldet." in client.get("/mitmachpool/").content.decode()
    # and may change the choice the same way
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/mitmachpool/", {"districts": [choices["ergste"].pk]})
    subscription.refresh_from_db()
    assert subscription.scope["districts"] == [choices["ergste"].pk]


def test_one_click_unsubscribe(choices):
    subscription = confirmed_subscription(EMAIL)
    client = Client(enforce_csrf_checks=True)
    url = f"/mitmachpool/abmelden/{subscription.end_code}/"
    assert "Vom Mitmachpool abmelden" in client.get(url).content.decode()
    subscription.refresh_from_db()
    assert subscription.is_active
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert "Sie sind abgemeldet" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.state == State.ENDED and not subscription.is_active
    # the settings link no longer changes anything
    page = Client().get(f"/mitmachpool/einstellungen/{subscription.manage_code}/").content.decode()
    assert "Sie haben sich vom Mitmachpool abgemeldet" in page


def test_subscribing_after_unsubscribing_starts_over(
    client, choices, enqueued, django_capture_on_commit_callbacks
):
    subscription = confirmed_subscription(EMAIL)
    subscription.state = State.ENDED
    subscription.ended_at = timezone.now()
    subscription.save()
    subscribe(client, django_capture_on_commit_callbacks, districts=[choices["ergste"]])
    subscription.refresh_from_db()
    assert subscription.state == State.PENDING and subscription.confirmed_at is None
    assert subscription.scope["districts"] == [choices["ergste"].pk]
    assert confirmations(enqueued) == [subscription.pk]


def test_wrong_and_expired_links(client, choices, enqueued, django_capture_on_commit_callbacks):
    subscribe(client, django_capture_on_commit_callbacks)
    run_enqueued(enqueued)
    confirm = links(mail.outbox[0])["pool-confirm"]
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.post(confirm)
    assert response.status_code == 404 and "abgelaufen" in response.content.decode()
    assert not pool_subscriptions().get().is_active
    for url in (
        "/mitmachpool/bestaetigen/kaputt/",
        "/mitmachpool/einstellungen/kaputt/",
        "/mitmachpool/abmelden/kaputt/",
    ):
        assert client.get(url).status_code == 404


def test_validation_honeypot_and_rate_limit(
    client, choices, enqueued, settings, django_capture_on_commit_callbacks
):
    response = subscribe(client, django_capture_on_commit_callbacks, email="")
    assert response.status_code == 200
    assert "Bitte geben Sie Ihre E-Mail-Adresse an." in response.content.decode()
    response = client.post("/mitmachpool/", {"email": EMAIL, "districts": ["999"]})
    assert "Bitte wählen Sie einen der genannten Stadtteile." in response.content.decode()

    response = subscribe(client, django_capture_on_commit_callbacks, homepage="http://spam")
    assert response.status_code == 302
    assert not pool_subscriptions().exists()

    settings.FOLLOWING_LIMIT_PER_EMAIL_HOUR = 2
    cache_clients = [Client(REMOTE_ADDR=f"10.0.0.{n}") for n in range(3)]
    for other in cache_clients[:2]:
        assert (
            subscribe(other, django_capture_on_commit_callbacks, email="b@example.org").status_code
            == 302
        )
    response = subscribe(
        cache_clients[2], django_capture_on_commit_callbacks, email="b@example.org"
    )
    assert response.status_code == 429 and "zu viele Anfragen" in response.content.decode()

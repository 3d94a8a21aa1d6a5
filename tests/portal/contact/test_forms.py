"""The two public forms that open an Anliegen: what a citizen sends is stored once, whatever
happens to the broker; mistakes come back as German messages; bots get nothing."""

import re

import pytest
from django.utils import timezone

from portal.contact.models import ContactRequest
from portal.core.models import OutboxMessage
from portal.tickets.constants import Channel, RoutingState, TicketStatus
from portal.tickets.models import Category, Ticket
from portal.tickets.sla import add_working_days
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GENERAL = "/anliegen/neu/"
ACCESSIBILITY = "/barrierefreiheit/rueckmeldung/"


@pytest.fixture
def category():
    return Category.objects.create(name="Straßenbeleuchtung defekt", slug="beleuchtung", sla_days=5)


def form_token(client, url=GENERAL, **extra) -> str:
    response = client.get(url, **extra)
    assert response.status_code == 200
    return re.search(r'name="form_token" value="([^"]+)"', response.content.decode()).group(1)


def submit(client, django_capture_on_commit_callbacks, data, url=GENERAL, token=None):
    data = {"form_token": token or form_token(client, url), **data}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url, data)


def test_general_form_opens_one_ticket_and_shows_its_number(
    client, category, django_capture_on_commit_callbacks
):
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        {
            "category": category.pk,
            "message": "Die Laterne vor Hausnummer 12 ist seit Tagen dunkel.",
            "address": "Hagener Straße 12",
            "latitude": "51.443210",
            "longitude": "7.565430",
            "email": "Erika@Example.org",
        },
    )

    ticket = Ticket.objects.get()
    assert ContactRequest.objects.count() == 1
    assert response.status_code in (302, 303)
    assert response["Location"] == f"/anliegen/eingegangen/{ticket.access_token}/"
    assert ticket.source == ContactRequest.objects.get()
    assert ticket.source_kind == "anliegen"
    assert ticket.channel == Channel.ONLINE
    assert ticket.category == category
    assert ticket.address == "Hagener Straße 12"
    assert str(ticket.latitude) == "51.443210"
    assert ticket.contact_email == "erika@example.org"
    assert ticket.citizen is None

    receipt = client.get(response["Location"])
    text = receipt.content.decode()
    assert ticket.number in text
    assert re.fullmatch(r"\d{4}-\d{6}", ticket.number)
    assert "innerhalb von 5 Arbeitstagen" in text
    assert f"/anliegen/status/{ticket.access_token}/" in text
    assert "erika@example.org" in text
    assert receipt["Referrer-Policy"] == "same-origin"


def test_with_the_broker_down_the_submission_succeeds_and_the_ticket_waits(
    client, category, django_capture_on_commit_callbacks, settings
):
    # the test settings point Celery at a dead port: enqueueing fails after commit
    assert settings.CELERY_BROKER_URL.startswith("redis://127.0.0.1:1/")
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        {"category": category.pk, "message": "Laterne aus.", "email": "a@example.org"},
    )

    assert response.status_code in (302, 303)
    ticket = Ticket.objects.get()
    assert ticket.routing_state == RoutingState.PENDING
    assert ticket.status == TicketStatus.RECEIVED
    assert ticket.department is None
    # the receipt e-mail is recorded and waits for the relay as well
    receipt_mail = OutboxMessage.objects.get(kind="tickets.receipt")
    assert receipt_mail.sent_at is None
    assert client.get(response["Location"]).status_code == 200


def test_the_same_form_sent_twice_opens_one_ticket(
    client, category, django_capture_on_commit_callbacks
):
    token = form_token(client)
    data = {"category": category.pk, "message": "Laterne aus.", "form_token": token}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(GENERAL, data)
        second = client.post(GENERAL, data)

    assert Ticket.objects.count() == 1
    assert ContactRequest.objects.count() == 1
    assert second.status_code in (302, 303)
    assert second["Location"] == first["Location"]


def test_each_new_form_opens_its_own_ticket(client, category, django_capture_on_commit_callbacks):
    for text in ("Erstens", "Zweitens"):
        submit(
            client, django_capture_on_commit_callbacks, {"category": category.pk, "message": text}
        )
    assert Ticket.objects.count() == 2


def test_a_form_without_a_valid_token_comes_back_filled(client, category):
    response = client.post(
        GENERAL, {"category": category.pk, "message": "Laterne aus.", "form_token": "erfunden"}
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "Bitte prüfen Sie Ihre Angaben und senden Sie es noch einmal ab." in text
    assert "Laterne aus." in text
    assert Ticket.objects.count() == 0


def test_a_filled_honeypot_opens_no_ticket_and_says_so_neutrally(
    client, category, django_capture_on_commit_callbacks
):
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        {"category": category.pk, "message": "Billige Uhren", "homepage": "http://spam.example"},
    )

    assert response.status_code == 200
    assert "Vielen Dank für Ihre Nachricht" in response.content.decode()
    assert Ticket.objects.count() == 0
    assert ContactRequest.objects.count() == 0


def test_the_honeypot_is_labelled_and_out_of_the_tab_order(client, category):
    html = client.get(GENERAL).content.decode()
    assert re.search(r'<label for="id_homepage">Bitte leer lassen</label>', html)
    field = re.search(r"<input[^>]*name=\"homepage\"[^>]*>", html).group(0)
    assert 'tabindex="-1"' in field
    assert 'autocomplete="off"' in field


def test_an_empty_message_is_refused_in_german_and_nothing_is_stored(
    client, category, django_capture_on_commit_callbacks
):
    response = submit(
        client, django_capture_on_commit_callbacks, {"category": category.pk, "message": "  "}
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "Bitte korrigieren Sie folgende Angaben:" in text
    assert "Bitte beschreiben Sie Ihr Anliegen." in text
    assert 'href="#id_message"' in text
    assert Ticket.objects.count() == 0
    assert ContactRequest.objects.count() == 0


def test_a_missing_category_links_the_error_to_the_first_option(
    client, category, django_capture_on_commit_callbacks
):
    response = submit(client, django_capture_on_commit_callbacks, {"message": "Laterne aus."})

    text = response.content.decode()
    assert "Bitte wählen Sie aus, worum es geht." in text
    assert 'href="#id_category_0"' in text
    assert 'id="id_category_0"' in text


def test_a_too_long_message_is_refused(client, category, django_capture_on_commit_callbacks):
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        {"category": category.pk, "message": "x" * 5001},
    )
    assert "höchstens 5000 Zeichen" in response.content.decode()
    assert Ticket.objects.count() == 0


def test_an_invalid_email_address_is_refused_in_german(
    client, category, django_capture_on_commit_callbacks
):
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        {"category": category.pk, "message": "Laterne aus.", "email": "erika@"},
    )
    assert "Bitte geben Sie eine gültige E-Mail-Adresse an." in response.content.decode()
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize(
    "latitude, longitude, message",
    [
        ("51.44", "", "Der Ort auf der Karte ist unvollständig."),
        ("", "7.56", "Der Ort auf der Karte ist unvollständig."),
        ("95", "7.56", "Der Ort auf der Karte ist ungültig."),
        ("51.44", "-181", "Der Ort auf der Karte ist ungültig."),
        ("Nordpol", "7.56", "Der Ort auf der Karte ist ungültig."),
    ],
)
def test_invalid_coordinates_are_refused_in_german(
    client, category, django_capture_on_commit_callbacks, latitude, longitude, message
):
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        {
            "category": category.pk,
            "message": "Laterne aus.",
            "latitude": latitude,
            "longitude": longitude,
        },
    )

    text = response.content.decode()
    assert text.count(message) == 1
    assert Ticket.objects.count() == 0
    # the hidden map fields come back empty, so the form can be sent with the address alone
    assert re.search(r'name="latitude"(?![^>]*value=)', text)
    assert re.search(r'name="longitude"(?![^>]*value=)', text)


def test_the_general_form_offers_active_categories_but_not_accessibility(client, category):
    Category.objects.create(name="Abgeschaltet", slug="alt", is_active=False)
    html = client.get(GENERAL).content.decode()

    assert "Straßenbeleuchtung defekt" in html
    assert "Abgeschaltet" not in html
    accessibility = Category.objects.get(slug="barrierefreiheit")
    assert f'value="{accessibility.pk}"' not in html
    assert "Notfall?" in html and "tel:110" in html and "tel:112" in html
    assert "nur den Link zur Statusseite" in html


def test_the_accessibility_category_cannot_be_smuggled_into_the_general_form(
    client, category, django_capture_on_commit_callbacks
):
    accessibility = Category.objects.get(slug="barrierefreiheit")
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        {"category": accessibility.pk, "message": "Laterne aus."},
    )
    assert "Bitte wählen Sie eines der genannten Themen aus." in response.content.decode()
    assert Ticket.objects.count() == 0


def test_a_logged_in_citizen_is_the_ticket_citizen_and_keeps_the_account_address(
    client, category, django_capture_on_commit_callbacks
):
    user = UserFactory(email="erika@example.org")
    client.force_login(user)
    html = client.get(GENERAL).content.decode()
    assert "erika@example.org" in html
    assert 'name="email"' not in html

    response = submit(
        client,
        django_capture_on_commit_callbacks,
        {"category": category.pk, "message": "Laterne aus.", "email": "anders@example.org"},
    )

    ticket = Ticket.objects.get()
    assert response.status_code in (302, 303)
    assert ticket.citizen == user
    assert ticket.contact_email == ""
    receipt = client.get(response["Location"]).content.decode()
    assert "erika@example.org" in receipt
    assert "/konto/anliegen/" in receipt


# --- accessibility feedback ------------------------------------------------------------------
def test_accessibility_feedback_gets_its_category_a_month_and_keeps_the_page(
    client, django_capture_on_commit_callbacks
):
    page = client.get(ACCESSIBILITY).content.decode()
    assert "Wir antworten innerhalb eines Monats" in page

    response = submit(
        client,
        django_capture_on_commit_callbacks,
        {
            "message": "Der Kalender lässt sich nicht mit der Tastatur bedienen.",
            "page_url": "/veranstaltungen/kalender/",
            "email": "lea@example.org",
        },
        url=ACCESSIBILITY,
    )

    ticket = Ticket.objects.get()
    contact = ContactRequest.objects.get()
    assert response["Location"] == f"/anliegen/eingegangen/{ticket.access_token}/"
    assert ticket.category.slug == "barrierefreiheit"
    assert ticket.source_kind == "barrierefreiheit"
    assert ticket.due_date == add_working_days(timezone.localdate(ticket.received_at), 20)
    assert contact.kind == "barrierefreiheit"
    assert contact.page_url == "/veranstaltungen/kalender/"
    assert "/veranstaltungen/kalender/" in ticket.summary
    receipt = client.get(response["Location"]).content.decode()
    assert "innerhalb von 20 Arbeitstagen" in receipt


def test_accessibility_feedback_refuses_an_empty_message(
    client, django_capture_on_commit_callbacks
):
    response = submit(
        client, django_capture_on_commit_callbacks, {"message": ""}, url=ACCESSIBILITY
    )
    assert "Bitte beschreiben Sie die Barriere." in response.content.decode()
    assert Ticket.objects.count() == 0


def test_accessibility_page_is_prefilled_from_the_link_or_a_same_site_referer(client):
    def prefilled(response) -> str:
        field = re.search(r"<input[^>]*name=\"page_url\"[^>]*>", response.content.decode())
        value = re.search(r'value="([^"]*)"', field.group(0))
        return value.group(1) if value else ""

    assert prefilled(client.get(ACCESSIBILITY + "?seite=/suche/")) == "/suche/"
    assert (
        prefilled(client.get(ACCESSIBILITY, HTTP_REFERER="http://testserver/barrierefreiheit/"))
        == "http://testserver/barrierefreiheit/"
    )
    # other sites and odd schemes are not taken over
    assert prefilled(client.get(ACCESSIBILITY, HTTP_REFERER="https://evil.example/x")) == ""
    assert prefilled(client.get(ACCESSIBILITY + "?seite=javascript:alert(1)")) == ""

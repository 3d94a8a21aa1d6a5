"""The return URL (/bezahlen/zurueck/<token>/) and the demo provider's hosted pay page."""

import re

import pytest

from services.payments.constants import PaymentState
from services.payments.models import DemoTransaction, Payment

from .helpers import CONTINUE_URL, press, return_to_portal, start

pytestmark = pytest.mark.django_db


# --- return ------------------------------------------------------------------------------------
@pytest.mark.parametrize("token", ["unbekannt", "x" * 43])
def test_unknown_return_token_is_404(client, order, token):
    start(order)
    assert client.get(f"/bezahlen/zurueck/{token}/").status_code == 404


def test_the_return_url_given_to_the_provider_is_absolute_and_secret(order, settings):
    payment = start(order)
    tx = DemoTransaction.objects.get()
    assert tx.return_url == f"http://testserver/bezahlen/zurueck/{payment.return_token}/"
    assert len(payment.return_token) >= 40
    settings.BASE_URL = "https://portal.schwerte.example/"
    other = start(order)  # cancels the first; the base URL comes from the setting
    tx = DemoTransaction.objects.get(provider_ref=other.provider_ref)
    assert tx.return_url.startswith("https://portal.schwerte.example/bezahlen/zurueck/")


def test_early_return_leaves_the_payment_open_to_resume(client, order, released):
    payment = start(order)
    client.get(payment.redirect_url)
    response = return_to_portal(client, payment)  # "back" before any button on the pay page
    assert response.status_code == 302 and response["Location"] == CONTINUE_URL
    assert "no-cache" in response["Cache-Control"]
    payment.refresh_from_db()
    assert payment.state == PaymentState.IN_PROGRESS and payment.can_resume
    assert payment.status_message.endswith("Sie können sie jetzt fortsetzen.")
    assert client.get(payment.redirect_url).status_code == 200  # resume
    press(client, payment, "pay")
    return_to_portal(client, payment)
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.SUCCEEDED
    assert released.payment_ids == [payment.pk]


def test_a_continue_url_that_is_not_local_falls_back_to_the_home_page(client, order):
    payment = start(order)
    Payment.objects.filter(pk=payment.pk).update(continue_url="https://example.org/phish")
    response = return_to_portal(client, payment)
    assert response.status_code == 302 and response["Location"] == "/"


def test_return_only_answers_get(client, order):
    payment = start(order)
    assert client.post(f"/bezahlen/zurueck/{payment.return_token}/").status_code == 405


# --- the demo pay page -------------------------------------------------------------------------
def test_pay_page_shows_amount_and_description_from_the_provider_record(client, order):
    payment = start(order)
    response = client.get(payment.redirect_url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Demo-Zahlungsanbieter – es wird kein Geld bewegt" in html
    assert "30,50\u00a0€" in html
    assert "Bewohnerparkausweis für ein Jahr, Zone Innenstadt" in html
    for button in ("Bezahlen", "Ablehnen", "Abbrechen", "Technischer Fehler"):
        assert f">{button}</button>" in html
    assert "Fenster auch einfach schließen" in html and "90 Minuten" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    # nothing the CSP would block: no inline script, no inline style
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "style=" not in html and "<style" not in html
    assert DemoTransaction.objects.get().status == "started"


def test_an_amount_changed_in_the_post_body_is_ignored(client, order, released):
    payment = start(order)
    response = press(client, payment, "pay", amount="1", amount_minor="1", betrag="0,01")
    assert response.status_code == 302
    tx = DemoTransaction.objects.get()
    assert tx.amount == 3050 and tx.status == "success"
    return_to_portal(client, payment)
    payment.refresh_from_db()
    assert payment.state == PaymentState.SUCCEEDED and payment.amount_minor == 3050
    assert released.payment_ids == [payment.pk]


def test_pay_page_refuses_unknown_actions_and_unknown_transactions(client, order):
    payment = start(order)
    assert press(client, payment, "refund").status_code == 400
    assert client.post(payment.redirect_url, {}).status_code == 400
    assert DemoTransaction.objects.get().status == "created"
    assert client.get("/bezahlen/demo/gibt-es-nicht/").status_code == 404
    assert client.put(payment.redirect_url).status_code == 405


def test_a_finished_transaction_cannot_be_changed_on_the_pay_page(client, order):
    payment = start(order)
    press(client, payment, "pay")
    response = press(client, payment, "decline")  # a second tab, an old form
    assert response.status_code == 302
    assert DemoTransaction.objects.get().status == "success"
    html = client.get(payment.redirect_url).content.decode()
    assert "Diese Zahlung ist abgeschlossen" in html
    assert ">Bezahlen</button>" not in html
    assert f'href="/bezahlen/zurueck/{payment.return_token}/"' in html

"""Sign-up with mandatory e-mail confirmation, login, logout, password reset."""

import re

import pytest
from django.core import mail

from portal.accounts.models import TrustLevel, User
from tests.factories import DEFAULT_PASSWORD, UserFactory

# allauth's e-mails go through the outbox: sent when the request commits
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commit_each_request")]

LINK = re.compile(r"http://testserver(/accounts/[^\s]+)")


def _link_in_last_mail() -> str:
    match = LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_signup_confirmation_login_and_password_reset(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "Neu@Example.org", "password1": "Ruhrufer-2026!", "password2": "Ruhrufer-2026!"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="neu@example.org")
    assert user.trust_level == TrustLevel.NEW

    # not yet confirmed: no session for the new account
    assert client.get("/konto/").status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["neu@example.org"]
    assert "bestätigen" in mail.outbox[0].body.lower() or "bestätig" in mail.outbox[0].subject

    confirm_url = _link_in_last_mail()
    page = client.get(confirm_url)
    assert page.status_code == 200
    response = client.post(confirm_url)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.trust_level == TrustLevel.EMAIL_CONFIRMED

    response = client.post(
        "/accounts/login/", {"login": "neu@example.org", "password": "Ruhrufer-2026!"}
    )
    assert response.status_code == 302
    profile = client.get("/konto/")
    assert profile.status_code == 200
    assert "neu@example.org" in profile.content.decode()
    client.post("/accounts/logout/")
    assert client.get("/konto/").status_code == 302

    # forgotten password
    response = client.post("/accounts/password/reset/", {"email": "neu@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    reset_url = _link_in_last_mail()
    response = client.get(reset_url)
    assert response.status_code == 302  # allauth moves the key out of the URL into the session
    set_url = response["Location"]
    response = client.post(
        set_url, {"password1": "Neues-Passwort-2026", "password2": "Neues-Passwort-2026"}
    )
    assert response.status_code == 302

    assert not client.login(email="neu@example.org", password="Ruhrufer-2026!")
    response = client.post(
        "/accounts/login/", {"login": "neu@example.org", "password": "Neues-Passwort-2026"}
    )
    assert response.status_code == 302
    assert client.get("/konto/").status_code == 200


def test_login_with_unconfirmed_address_sends_confirmation_instead(client):
    UserFactory(email="offen@example.org", confirmed=False)
    response = client.post(
        "/accounts/login/", {"login": "offen@example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/konto/").status_code == 302
    assert mail.outbox and mail.outbox[-1].to == ["offen@example.org"]


def test_wrong_password_shows_german_error(client):
    UserFactory(email="erika@example.org")
    response = client.post("/accounts/login/", {"login": "erika@example.org", "password": "falsch"})
    assert response.status_code == 200
    assert "nicht korrekt" in response.content.decode() or "falsch" in response.content.decode()


def test_profile_saves_display_name(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/konto/", {"display_name": "Ruhrfreundin"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.public_name == "Ruhrfreundin"
    assert "Ihre Angaben wurden gespeichert" in client.get("/konto/").content.decode()


def test_citizen_without_display_name_is_anonymous():
    assert UserFactory.build(display_name="").public_name == "anonym"


INFORMAL = re.compile(r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner)\b", re.IGNORECASE)


@pytest.mark.parametrize(
    "url",
    ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/konto/"],
)
def test_account_pages_address_citizens_formally(client, url):
    client.force_login(UserFactory())
    if url != "/konto/":
        client.post("/accounts/logout/")
    html = client.get(url).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert not INFORMAL.findall(text), INFORMAL.findall(text)


def test_login_button_is_a_verb(client):
    assert re.search(
        r"<button[^>]*>\s*Anmelden\s*</button>", client.get("/accounts/login/").content.decode()
    )


def test_too_many_failures_message_is_formal():
    from django.utils.translation import gettext, override

    with override("de"):
        text = gettext("Too many failed login attempts. Try again later.")
    assert "versuchen Sie" in text


ENGLISH = re.compile(r"\b(the|you|your|please|account|email|sign|password|code)\b", re.IGNORECASE)


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/reauthenticate/",
        "/accounts/logout/",
        "/accounts/confirm-email/",
        "/accounts/password/reset/done/",
        "/accounts/confirm-email/ungueltig/",
    ],
)
def test_allauth_pages_speak_formal_german(client, url):
    client.force_login(UserFactory())
    html = client.get(url).content.decode()
    main = re.search(r"<main\b.*?</main>", html, re.S).group(0)
    text = re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", main))
    assert not INFORMAL.findall(text), INFORMAL.findall(text)
    assert not ENGLISH.findall(text), (ENGLISH.findall(text), text)

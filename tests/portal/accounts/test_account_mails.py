"""allauth's e-mails, sent through the real flows: German, formal, signed with the portal's name,
never with the host the request came in on; a notice on every change of password or address;
passwords of at least 12 characters."""

import re

import pytest
from django.core import mail

from tests.factories import DEFAULT_PASSWORD, UserFactory

# allauth's e-mails go through the outbox: sent when the request commits
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commit_each_request")]

SITE_NAME = "Bürgerportal Schwerte"  # WAGTAIL_SITE_NAME
URL = re.compile(r"https?://\S+")
LINK = re.compile(r"http://testserver(/accounts/\S+)")
# allauth's English, and the host names it used to put in the greeting and the signature
FORBIDDEN = re.compile(
    r"\b(hello|thank|you|your|please|account|email|password|click|sign|testserver|localhost|"
    r"example\.com|von 127\.0\.0\.1|du|dich|dir|dein\w*)\b",
    re.IGNORECASE,
)


def assert_portal_voice(message) -> None:
    text = URL.sub("<link>", message.body)
    text = re.sub(r"IP-Adresse: \S+", "IP-Adresse: <ip>", text)  # where a change came from
    assert text.startswith("Guten Tag,"), text
    assert "Mit freundlichen Grüßen" in text
    assert text.rstrip().splitlines()[-2] == SITE_NAME, text  # the signature
    assert "127.0.0.1" not in text
    assert not FORBIDDEN.findall(text), (FORBIDDEN.findall(text), text)
    subject = message.subject.removeprefix("[Bürgerportal] ")
    assert not FORBIDDEN.findall(subject), subject
    for url in URL.findall(message.body):
        assert url.startswith("http://testserver/"), url  # BASE_URL in the tests


def last_link() -> str:
    match = LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def log_in(client, email: str, password: str = DEFAULT_PASSWORD) -> None:
    response = client.post("/accounts/login/", {"login": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_sign_up_confirmation(client):
    client.post(
        "/accounts/signup/",
        {"email": "neu@example.org", "password1": "Ruhrufer-2026!", "password2": "Ruhrufer-2026!"},
    )
    (message,) = mail.outbox
    assert message.subject == "[Bürgerportal] Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert "Registrierung im Bürgerportal Schwerte" in message.body
    assert "eine E-Mail-Adresse von" not in message.body
    assert_portal_voice(message)
    page = client.get(last_link()).content.decode()
    assert "die E-Mail-Adresse" in page and "für Ihr Konto verwenden möchten" in page
    assert "eine E-Mail-Adresse von" not in page


def test_sign_up_with_a_known_address(client):
    UserFactory(email="bekannt@example.org")
    client.post(
        "/accounts/signup/",
        {
            "email": "bekannt@example.org",
            "password1": "Ruhrufer-2026!",
            "password2": "Ruhrufer-2026!",
        },
    )
    (message,) = mail.outbox
    assert message.subject == "[Bürgerportal] Es gibt bereits ein Konto mit Ihrer E-Mail-Adresse"
    assert_portal_voice(message)


def test_password_reset_and_notice(client):
    UserFactory(email="erika@example.org")
    client.post("/accounts/password/reset/", {"email": "erika@example.org"})
    (message,) = mail.outbox
    assert message.subject == "[Bürgerportal] Passwort zurücksetzen"
    assert_portal_voice(message)

    set_url = client.get(last_link())["Location"]
    response = client.post(
        set_url, {"password1": "Neues-Passwort-2026", "password2": "Neues-Passwort-2026"}
    )
    assert response.status_code == 302
    notice = mail.outbox[-1]
    assert notice.to == ["erika@example.org"]
    assert notice.subject == "[Bürgerportal] Ihr Passwort wurde zurückgesetzt"
    assert_portal_voice(notice)


def test_account_mails_wait_in_the_outbox_and_forget_their_link(client, settings):
    """allauth's e-mails go through the one outbox: paused sending keeps them, the relay sends
    each once, and the reset link does not stay in the database after sending."""
    from django.core.management import call_command

    from portal.core.models import OutboxMessage

    UserFactory(email="erika@example.org")
    settings.OUTBOX_SENDING_ENABLED = False
    client.post("/accounts/password/reset/", {"email": "erika@example.org"})
    assert mail.outbox == []
    (owed,) = OutboxMessage.objects.filter(recipient="erika@example.org")
    assert owed.sent_at is None

    settings.OUTBOX_SENDING_ENABLED = True
    settings.OUTBOX_RELAY_AFTER_SECONDS = 0
    call_command("relay_outbox")
    call_command("relay_outbox")
    (message,) = mail.outbox
    assert message.subject == "[Bürgerportal] Passwort zurücksetzen"
    assert last_link().startswith("/accounts/password/reset/key/")
    owed.refresh_from_db()
    assert owed.sent_at is not None
    assert owed.context == {}  # the one-time link is gone from the table


def test_password_reset_for_an_unknown_address(client):
    client.post("/accounts/password/reset/", {"email": "unbekannt@example.org"})
    (message,) = mail.outbox
    assert message.to == ["unbekannt@example.org"]
    assert message.subject == "[Bürgerportal] Kein Konto mit dieser E-Mail-Adresse"
    assert "http://testserver/accounts/signup/" in message.body
    assert_portal_voice(message)


def test_password_change_sends_a_notice(client):
    UserFactory(email="erika@example.org")
    log_in(client, "erika@example.org")
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": DEFAULT_PASSWORD,
            "password1": "Anderes-Passwort-2026",
            "password2": "Anderes-Passwort-2026",
        },
    )
    assert response.status_code == 302
    (notice,) = mail.outbox
    assert notice.to == ["erika@example.org"]
    assert notice.subject == "[Bürgerportal] Ihr Passwort wurde geändert"
    assert "Ihr Passwort wurde geändert." in notice.body
    assert "IP-Adresse: 127.0.0.1" in notice.body  # where the change came from: allowed here
    assert "http://testserver/accounts/password/reset/" in notice.body
    assert_portal_voice(notice)


def test_email_change_confirms_the_new_and_tells_the_old_address(client):
    user = UserFactory(email="alt@example.org")
    log_in(client, "alt@example.org")
    client.post("/accounts/email/", {"action_add": "", "email": "neu@example.org"})
    (confirmation,) = mail.outbox
    assert confirmation.to == ["neu@example.org"]
    assert confirmation.subject == "[Bürgerportal] Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert "Sie haben die E-Mail-Adresse neu@example.org für Ihr Konto" in confirmation.body
    assert_portal_voice(confirmation)
    client.post(last_link())

    client.post("/accounts/email/", {"action_primary": "", "email": "neu@example.org"})
    user.refresh_from_db()
    assert user.email == "neu@example.org"
    notice = mail.outbox[-1]
    assert notice.to == ["alt@example.org"]
    assert notice.subject == "[Bürgerportal] Ihre E-Mail-Adresse wurde geändert"
    assert "von alt@example.org in neu@example.org geändert" in notice.body
    assert_portal_voice(notice)


@pytest.mark.parametrize(("password", "accepted"), [("Ruhr-Ufer-26", True), ("Ruhrufer-26", False)])
def test_passwords_have_at_least_12_characters(client, password, accepted):
    response = client.post(
        "/accounts/signup/",
        {"email": "neu@example.org", "password1": password, "password2": password},
    )
    assert (response.status_code == 302) is accepted
    if not accepted:
        assert "mindestens 12 Zeichen" in response.content.decode()


def test_password_change_refuses_short_passwords(client):
    UserFactory(email="erika@example.org")
    log_in(client, "erika@example.org")
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": DEFAULT_PASSWORD, "password1": "Kurz-Pw-2026", "password2": "Kurz-Pw-202"},
    )
    assert response.status_code == 200
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": DEFAULT_PASSWORD, "password1": "Kurz-Pw-26", "password2": "Kurz-Pw-26"},
    )
    assert "mindestens 12 Zeichen" in response.content.decode()
    assert not mail.outbox

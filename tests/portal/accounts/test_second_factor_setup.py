"""After setting up the second factor, and after new recovery codes, the clerk goes on to where
they were going (`next`, else the admin): never a dead end."""

import re

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time as counters

from tests.factories import DEFAULT_PASSWORD, StaffUserFactory, UserFactory

# allauth announces the new authenticator on commit, which proves the factor for the session
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WEITER = re.compile(r'<a href="([^"]+)" class="button[^"]*"\s*>\s*Weiter\s*</a>')


def activate_authenticator_app(client, activate_url: str):
    """The real steps: allauth asks for the password again, then shows the QR code."""
    reauthenticate = client.get(activate_url)
    assert reauthenticate["Location"].startswith("/accounts/reauthenticate/?next=")
    page = client.post(reauthenticate["Location"], {"password": DEFAULT_PASSWORD}, follow=True)
    assert page.redirect_chain[-1][0] == activate_url
    secret = re.search(r"\b([A-Z2-7]{32})\b", page.content.decode()).group(1)
    code = format_hotp_value(hotp_value(secret, next(iter(counters()))))
    return client.post("/accounts/2fa/totp/activate/", {"code": code})


def continue_link(page) -> str:
    html = page.content.decode()
    assert "Wiederherstellungscodes" in html or "Recovery" not in html
    match = WEITER.search(html)
    assert match, html
    return match.group(1)


def test_clerk_goes_on_to_the_admin_page_they_asked_for(client):
    clerk = StaffUserFactory()
    response = client.post(
        "/accounts/login/?next=/admin/account/",
        {"login": clerk.email, "password": DEFAULT_PASSWORD, "next": "/admin/account/"},
    )
    assert response["Location"] == "/admin/account/"
    response = client.get("/admin/account/")
    assert response["Location"] == "/accounts/2fa/totp/activate/?next=%2Fadmin%2Faccount%2F"

    response = activate_authenticator_app(client, response["Location"])
    assert response.status_code == 302
    codes_page = client.get(response["Location"])
    assert codes_page.status_code == 200
    assert len(re.findall(r"\b[0-9a-f]{8}\b", codes_page.content.decode())) >= 10
    assert continue_link(codes_page) == "/admin/account/"
    assert client.get("/admin/account/").status_code == 200


def test_without_next_the_clerk_goes_on_to_the_admin(client):
    clerk = StaffUserFactory()
    client.post("/accounts/login/", {"login": clerk.email, "password": DEFAULT_PASSWORD})
    response = activate_authenticator_app(client, "/accounts/2fa/totp/activate/")
    codes_page = client.get(response["Location"])
    assert continue_link(codes_page) == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_new_recovery_codes_lead_on_too(client):
    clerk = StaffUserFactory()
    client.post("/accounts/login/", {"login": clerk.email, "password": DEFAULT_PASSWORD})
    activate_authenticator_app(client, "/accounts/2fa/totp/activate/")
    response = client.post("/accounts/2fa/recovery-codes/generate/?next=/admin/")
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    assert continue_link(client.get(response["Location"])) == "/admin/"


def test_a_citizen_goes_back_to_the_overview_of_the_second_factor(client):
    citizen = UserFactory()
    client.post("/accounts/login/", {"login": citizen.email, "password": DEFAULT_PASSWORD})
    response = activate_authenticator_app(client, "/accounts/2fa/totp/activate/")
    assert continue_link(client.get(response["Location"])) == "/accounts/2fa/"


def test_next_to_another_site_is_ignored(client):
    clerk = StaffUserFactory()
    client.post("/accounts/login/", {"login": clerk.email, "password": DEFAULT_PASSWORD})
    response = activate_authenticator_app(
        client, "/accounts/2fa/totp/activate/?next=https://boese.example/admin/"
    )
    assert continue_link(client.get(response["Location"])) == "/admin/"

"""Staff reach the Wagtail admin only with a second factor, and Wagtail's own login form is no way
around it."""

import re

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)

from tests.factories import DEFAULT_PASSWORD, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def login(client, user) -> None:
    response = client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302


# transactional: allauth announces the new authenticator on commit, as in production
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_without_second_factor_is_sent_to_set_one_up(client):
    clerk = StaffUserFactory()
    login(client, clerk)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")
    # not only the dashboard: every admin page
    assert client.get("/admin/pages/").status_code == 302
    page = client.get("/admin/", follow=True)
    assert "Zwei-Faktor-Authentifizierung nötig" in page.content.decode()
    # allauth asks for the password once more before a factor is added
    reauth_url = page.redirect_chain[-1][0]
    assert reauth_url.startswith("/accounts/reauthenticate/")
    page = client.post(reauth_url, {"password": DEFAULT_PASSWORD}, follow=True)
    assert page.redirect_chain[-1][0].startswith("/accounts/2fa/totp/activate/")
    assert 'name="code"' in page.content.decode()

    # setting up the authenticator app proves the factor: the admin opens without asking again
    secret = re.search(r"\b([A-Z2-7]{32})\b", page.content.decode()).group(1)
    activate_url = page.redirect_chain[-1][0]
    response = client.post(activate_url, {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_staff_with_second_factor_reaches_dashboard(client):
    clerk = StaffUserFactory()
    secret = generate_totp_secret()
    TOTP.activate(clerk, secret)

    response = client.post("/accounts/login/", {"login": clerk.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    # the password alone is not a login
    assert client.get("/admin/").status_code == 302

    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert "wagtail" in dashboard.content.decode().lower()


def test_session_without_second_factor_must_confirm_it(client):
    """A session that was not confirmed with the second factor (e.g. set up before MFA was
    activated) must confirm it before the admin opens."""
    clerk = StaffUserFactory()
    secret = generate_totp_secret()
    TOTP.activate(clerk, secret)
    client.force_login(clerk)
    response = client.get("/admin/snippets/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")
    response = client.post(response["Location"], {"code": current_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/snippets/"
    assert client.get("/admin/").status_code == 200


def test_wagtail_login_form_cannot_log_in(client):
    clerk = StaffUserFactory()
    response = client.post("/admin/login/", {"username": clerk.email, "password": DEFAULT_PASSWORD})
    # the form is gone: the request is sent to allauth's login, and nobody is logged in
    assert response.status_code in (301, 302, 405)
    assert "_auth_user_id" not in client.session
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code in (301, 302)
    assert response["Location"].startswith("/accounts/login/")


def test_citizen_gets_no_admin_page(client):
    citizen = UserFactory()
    login(client, citizen)
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    assert b"wagtail-dashboard" not in response.content

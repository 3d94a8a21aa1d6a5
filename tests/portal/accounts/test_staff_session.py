"""Staff sessions end after 30 minutes without a request and 12 hours after the login; citizens
keep theirs."""

from datetime import UTC, datetime, timedelta

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

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def test_staff_session_ends_after_30_idle_minutes(client, clock, login_with_second_factor):
    login_with_second_factor(client, StaffUserFactory())
    assert client.get("/admin/").status_code == 200

    clock.shift(timedelta(minutes=29))
    assert client.get("/admin/account/").status_code == 200
    clock.shift(timedelta(minutes=29))  # 58 minutes after the login, 29 after the last request
    assert client.get("/admin/").status_code == 200

    clock.shift(timedelta(minutes=31))
    response = client.get("/admin/account/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/account/"
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"]).content.decode()
    assert "Sie wurden nach 30 Minuten ohne Aktivität abgemeldet." in login_page
    assert "Bitte melden Sie sich erneut an." in login_page
    # the public site does not keep the session either
    assert client.get("/konto/").status_code == 302


def test_public_pages_count_as_activity_too(client, clock, login_with_second_factor):
    login_with_second_factor(client, StaffUserFactory())
    clock.shift(timedelta(minutes=25))
    assert client.get("/konto/").status_code == 200
    clock.shift(timedelta(minutes=25))
    assert client.get("/admin/").status_code == 200


def test_staff_session_ends_12_hours_after_login_however_active(
    client, clock, login_with_second_factor
):
    login_with_second_factor(client, StaffUserFactory())
    for _ in range(11 * 3 + 2):  # every 20 minutes until 11:40
        clock.shift(timedelta(minutes=20))
        assert client.get("/admin/").status_code == 200
    clock.shift(timedelta(minutes=21))  # 12:01 after the login
    response = client.get("/admin/")
    assert response["Location"] == "/accounts/login/?next=/admin/"
    assert (
        "Eine Anmeldung gilt höchstens 12 Stunden"
        in client.get("/accounts/login/").content.decode()
    )


def test_citizen_session_survives_hours_without_activity(client, clock):
    citizen = UserFactory()
    response = client.post(
        "/accounts/login/", {"login": citizen.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    clock.shift(timedelta(hours=3))
    assert client.get("/konto/").status_code == 200
    clock.shift(timedelta(hours=13))
    assert client.get("/konto/").status_code == 200


def test_a_new_login_starts_a_new_clock(client, clock):
    clerk = StaffUserFactory()
    secret = generate_totp_secret()
    TOTP.activate(clerk, secret)

    def log_in():
        client.post("/accounts/login/", {"login": clerk.email, "password": DEFAULT_PASSWORD})
        code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
        assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302

    log_in()
    clock.shift(timedelta(minutes=40))
    assert client.get("/admin/").status_code == 302
    clock.shift(timedelta(minutes=1))  # a fresh TOTP step
    log_in()
    assert client.get("/admin/").status_code == 200
    clock.shift(timedelta(minutes=20))
    assert client.get("/admin/").status_code == 200

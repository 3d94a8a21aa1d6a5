"""Login and sign-up are rate-limited by allauth, counted in the shared Redis cache."""

import pytest
import redis

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def _cache_keys(redis_server) -> list[bytes]:
    return redis.Redis(port=redis_server.port, db=1).keys("*")


def test_repeated_failed_logins_lock_the_account_for_a_while(client, redis_cache):
    UserFactory(email="ziel@example.org")
    pages = [
        client.post("/accounts/login/", {"login": "ziel@example.org", "password": "falsch"})
        for _ in range(6)
    ]
    assert "Zu viele fehlgeschlagene Anmeldeversuche" not in pages[0].content.decode()
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in pages[-1].content.decode()
    # the counter lives in Redis, where every web process sees it
    assert _cache_keys(redis_cache)


def test_many_logins_from_one_address_get_429(client, redis_cache):
    statuses = [
        client.post("/accounts/login/", {"login": f"p{n}@example.org", "password": "x"}).status_code
        for n in range(35)
    ]
    assert statuses[0] == 200
    assert statuses[-1] == 429


def test_signups_from_one_address_are_limited(client, redis_cache):
    statuses = []
    for n in range(12):
        statuses.append(
            client.post(
                "/accounts/signup/",
                {"email": f"flut{n}@example.org", "password1": "Ruhrufer-2026!",
                 "password2": "Ruhrufer-2026!"},
            ).status_code
        )  # fmt: skip
    assert statuses[0] == 302
    assert statuses[-1] == 429

"""The limits of the public forms hold while Redis is down: each process then counts on its own
(portal.core.ratelimit), so nobody waits for Redis and no script floods the forms meanwhile."""

import datetime

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

SUGGEST = "/maengel/melden/adressen/"


def test_the_address_lookup_stays_limited_while_redis_is_down(
    client, dead_cache, settings, time_machine
):
    settings.REPORTS_ADDRESS_SUGGEST_LIMIT_PER_MINUTE = 3
    # one fixed minute, so that no window ends between the requests
    time_machine.move_to(
        datetime.datetime(2026, 5, 4, 10, 0, 5, tzinfo=timezone.get_current_timezone()),
        tick=False,
    )
    statuses = [
        client.get(SUGGEST, {"q": "Hagener"}, REMOTE_ADDR="203.0.113.41").status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    # another address has its own count
    assert client.get(SUGGEST, {"q": "Hagener"}, REMOTE_ADDR="203.0.113.42").status_code == 200

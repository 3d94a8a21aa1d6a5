"""The API's limits (portal.core.throttling): public reads, writes and staff are counted apart; a
client that sends its API key is counted per key, not per address; over a limit the answer is a
429 with Retry-After in the API's error shape."""

import datetime

import pytest
from django.utils import timezone

from services.reports.models import ApiClient
from tests.factories import StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/districts/"
CITY_APP = "198.51.100.7"


@pytest.fixture
def rates(settings, time_machine):
    # an answer from the page cache costs nothing and is not counted: these count the API's own
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    # 10:00:05 and no clock running: every request of a test falls into one window of a minute
    time_machine.move_to(
        datetime.datetime(2026, 5, 4, 10, 0, 5, tzinfo=timezone.get_current_timezone()),
        tick=False,
    )

    def set_rates(**rates):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**settings.API_RATES, **rates},
        }

    return set_rates


def statuses(client, n, path=LIST, method="get", **extra):
    return [
        getattr(client, method)(path, REMOTE_ADDR=CITY_APP, **extra).status_code for _ in range(n)
    ]


def api_key(name="Stadt-App") -> tuple[ApiClient, str]:
    api_client = ApiClient(name=name)
    key = api_client.issue_key()
    api_client.save()
    return api_client, key


def test_reads_are_counted_per_address(client, rates):
    rates(read="3/min")
    assert statuses(client, 4) == [200, 200, 200, 429]
    # another address has its own count
    assert client.get(LIST, REMOTE_ADDR="198.51.100.8").status_code == 200


def test_a_client_with_its_key_is_counted_per_key_at_its_own_rate(client, rates):
    rates(read="2/min", read_key="5/min")
    _, key = api_key()
    # the address alone has used up its reads; the key still reads, at its own rate
    assert statuses(client, 3) == [200, 200, 429]
    assert statuses(client, 6, HTTP_X_API_KEY=key) == [200, 200, 200, 200, 200, 429]
    # the Open311 way of sending the key counts the same
    _, other_key = api_key("Zweite App")
    assert statuses(client, 1, path=f"{LIST}?api_key={other_key}") == [200]


def test_an_unknown_or_revoked_key_counts_as_none(client, rates):
    rates(read="2/min", read_key="100/min")
    api_client, key = api_key()
    api_client.revoked_at = timezone.now()
    api_client.save()
    assert statuses(client, 1, HTTP_X_API_KEY=key) == [200]
    assert statuses(client, 1, HTTP_X_API_KEY="ausgedacht") == [200]
    response = client.get(LIST, REMOTE_ADDR=CITY_APP, HTTP_X_API_KEY=key)
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Zu viele Anfragen.")
    assert response["Retry-After"] == "55"


def test_writes_are_counted_apart_from_reads(client, rates):
    rates(read="2/min", write="2/min")
    # the public lists take no writes (405); the limit still counts the attempts
    assert statuses(client, 3, path="/api/v1/reports/", method="post") == [405, 405, 429]
    assert statuses(client, 2) == [200, 200]


def test_a_signed_in_citizen_is_counted_per_person(client, rates):
    rates(read="2/min")
    client.force_login(UserFactory())
    assert statuses(client, 3) == [200, 200, 429]
    # a neighbour behind the same address has reads of his own
    neighbour = client_class_for(client)
    neighbour.force_login(UserFactory())
    assert statuses(neighbour, 1) == [200]


def client_class_for(client):
    return type(client)()


def test_staff_are_counted_in_their_own_scope(client, rates, login_with_second_factor):
    rates(read="1/min", staff="4/min")
    login_with_second_factor(client, StaffUserFactory())
    # the public lists, read far beyond the public read limit
    assert statuses(client, 5) == [200, 200, 200, 200, 429]


def test_the_schema_documents_the_key_and_the_limits(client, settings):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "X-API-Key" in schema["info"]["description"]
    assert "1.200 je Minute" in schema["info"]["description"]
    operation = schema["paths"]["/api/v1/reports/"]["get"]
    assert "X-API-Key" in [parameter["name"] for parameter in operation["parameters"]]

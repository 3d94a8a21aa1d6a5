"""The optional Nominatim-compatible geocoder (REPORTS_GEOCODER_URL), against a real HTTP server
in a thread (tests/services/reports/conftest.py): suggestions, the form's and the API's lookup,
the cache, places outside the city, and the fallback to the street list when it fails."""

import html
import time
from decimal import Decimal
from urllib.parse import urlencode

import pytest

from portal.tickets.constants import PublishMode
from services.reports.geocoder import address_lookup
from services.reports.models import ApiClient, Report
from tests.factories import CategoryFactory, DepartmentFactory, DistrictFactory, square
from tests.services.reports.conftest import place
from tests.services.reports.test_views import report_data, review, submit_review

pytestmark = pytest.mark.django_db

SUGGEST = "/maengel/melden/adressen/"
# Hagener Straße 12 as the geocoder knows it, a little off the street list's middle of the street
HOUSE = place("51.442345", "7.557123", "Hagener Straße", "12")
BERLIN = place("52.520000", "13.405000", "Hagener Straße", "1")


@pytest.fixture
def city():
    # covers every street of services/reports/streets.py
    return DistrictFactory(name="Schwerte-Mitte", area=square(7.48, 51.39, 0.2))


@pytest.fixture
def lights(city):
    return CategoryFactory(
        name="Straßenbeleuchtung defekt", slug="beleuchtung",
        default_department=DepartmentFactory(), publish_mode=PublishMode.IMMEDIATE,
    )  # fmt: skip


def test_suggestions_ask_the_geocoder_the_nominatim_way(client, city, geocoder):
    geocoder.results = [HOUSE, BERLIN]
    response = client.get(SUGGEST, {"q": "Hagener Str 12"})
    assert response.status_code == 200
    # the geocoder's place in the city first, then the street of the list; Berlin is ignored
    assert response.json() == {
        "suggestions": ["Hagener Straße 12, 58239 Schwerte", "Hagener Straße"]
    }
    (asked,) = geocoder.requests
    assert asked["path"] == "/search"
    query = asked["query"]
    assert query["q"] == "Hagener Str 12"
    assert query["format"] == "jsonv2"
    assert query["countrycodes"] == "de"
    assert query["bounded"] == "1"
    west, north, east, south = (Decimal(v) for v in query["viewbox"].split(","))
    assert (west, south, east, north) == (
        Decimal("7.480000"),
        Decimal("51.390000"),
        Decimal("7.680000"),
        Decimal("51.590000"),
    )
    assert asked["user_agent"].startswith("Buergerportal-Maengelmelder/1.0 (+http://testserver")


def test_answers_are_cached(client, city, geocoder):
    geocoder.results = [HOUSE]
    for text in ("Hagener Straße 12", "  hagener straße   12 "):
        assert client.get(SUGGEST, {"q": text}).json()["suggestions"][0].startswith("Hagener")
    assert address_lookup("Hagener Straße 12").latitude == Decimal("51.442345")
    assert len(geocoder.requests) == 1


def test_short_input_asks_nobody(client, city, geocoder):
    assert client.get(SUGGEST, {"q": "Ha"}).json() == {"suggestions": []}
    assert geocoder.requests == []


def test_the_form_uses_the_geocoders_point(
    client, lights, geocoder, django_capture_on_commit_callbacks
):
    geocoder.results = [HOUSE]
    page = client.get("/maengel/melden/").content.decode()
    assert f'data-suggest-url="{SUGGEST}"' in page
    response = review(client, report_data(lights, address="Hagener Str. 12"))
    assert "Hagener Straße 12, 58239 Schwerte" in html.unescape(response.content.decode())
    submit_review(client, response, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert (report.latitude, report.longitude) == (Decimal("51.442345"), Decimal("7.557123"))
    assert report.address == "Hagener Straße 12, 58239 Schwerte"
    assert len(geocoder.requests) == 1  # review and submit: the second answer came from the cache


def test_a_street_found_without_its_number_keeps_the_typed_number(city, geocoder):
    geocoder.results = [place("51.441000", "7.556000", "Hagener Straße")]
    found = address_lookup("Hagener Str. 12a")
    assert found.label == "Hagener Straße 12a, 58239 Schwerte"


def test_places_outside_the_city_are_ignored(client, lights, geocoder):
    geocoder.results = [BERLIN]
    assert address_lookup("Hagener Straße 1") is not None  # the street list still knows it
    assert address_lookup("Hagener Straße 1").latitude == Decimal("51.441900")
    response = review(client, report_data(lights, address="Alexanderplatz 1"))
    assert "Diese Straße kennen wir nicht" in html.unescape(response.content.decode())


@pytest.mark.parametrize("failure", ["500", "timeout", "not json"])
def test_a_failing_geocoder_falls_back_to_the_street_list_and_is_left_alone(
    client, lights, geocoder, settings, django_capture_on_commit_callbacks, failure
):
    settings.REPORTS_GEOCODER_TIMEOUT = 0.5
    if failure == "500":
        geocoder.status = 500
    elif failure == "timeout":
        geocoder.delay = 2.0
    else:
        geocoder.results = {"error": "Unable to geocode"}
    started = time.monotonic()
    response = review(client, report_data(lights, address="Hagener Str. 12"))
    assert time.monotonic() - started < 1.8  # waited for the timeout once, not more
    assert "Hagener Straße 12" in html.unescape(response.content.decode())
    submit_review(client, response, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert (report.latitude, report.longitude) == (Decimal("51.441900"), Decimal("7.556900"))
    # the suggestions still offer the list's streets; the geocoder is not asked again for now
    assert client.get(SUGGEST, {"q": "Hagener"}).json() == {"suggestions": ["Hagener Straße"]}
    assert len(geocoder.requests) == 1


def test_open311_address_string_uses_the_geocoder(client, lights, geocoder):
    geocoder.results = [HOUSE]
    api_client = ApiClient(name="App")
    key = api_client.issue_key()
    api_client.save()
    body = urlencode(
        {"api_key": key, "service_code": "beleuchtung", "description": "Laterne dunkel",
         "address_string": "Hagener Straße 12, Schwerte"}
    )  # fmt: skip
    response = client.post(
        "/open311/v2/requests.json", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200, response.content
    report = Report.objects.get()
    assert (report.latitude, report.longitude) == (Decimal("51.442345"), Decimal("7.557123"))
    assert report.address == "Hagener Straße 12, Schwerte"


def test_without_a_geocoder_only_the_street_list_answers(client, city, settings):
    settings.REPORTS_GEOCODER_URL = ""
    assert "data-suggest-url" not in client.get("/maengel/melden/").content.decode()
    assert client.get(SUGGEST, {"q": "straße"}).json()["suggestions"][:2] == [
        "Bahnhofstraße", "Beckestraße"
    ]  # fmt: skip


def test_suggestions_are_limited_per_ip_address(client, city, geocoder, settings):
    settings.REPORTS_ADDRESS_SUGGEST_LIMIT_PER_MINUTE = 3
    geocoder.results = [HOUSE]
    statuses = [client.get(SUGGEST, {"q": f"Hagener {n}"}).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert len(geocoder.requests) == 3
    other = client.get(SUGGEST, {"q": "Hagener"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200

"""Cross-origin: any web page may read the open interfaces (GET/HEAD), none may write to them,
and the staff API is never shared."""

import pytest

from services.reports.models import Report

pytestmark = pytest.mark.django_db

FOREIGN = "https://andere-stadt.example"
OPEN_READS = [
    "/open311/v2/services.json",
    "/open311/v2/discovery.xml",
    "/api/v1/projects/",
    "/api/v1/reports/",
    "/api/schema/",
]


@pytest.mark.parametrize("path", OPEN_READS)
@pytest.mark.parametrize("method", ["get", "head"])
def test_open_interfaces_are_readable_from_any_page(client, path, method):
    response = getattr(client, method)(path, headers={"Origin": FOREIGN})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


def test_a_preflight_for_reading_with_revalidation_is_allowed(client):
    response = client.options(
        "/open311/v2/requests.json",
        headers={
            "Origin": FOREIGN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert "if-none-match" in response["Access-Control-Allow-Headers"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Access-Control-Request-Method": "POST"},
        {"Access-Control-Request-Method": "DELETE"},
        {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "X-Api-Key"},
    ],
)
def test_a_preflight_for_writing_is_refused(client, headers):
    response = client.options("/open311/v2/requests.json", headers={"Origin": FOREIGN, **headers})
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response


def test_a_cross_origin_post_is_refused_and_writes_nothing(client):
    response = client.post(
        "/open311/v2/requests.json",
        {"api_key": "irgendwas", "service_code": "x", "lat": "51.44", "long": "7.56"},
        headers={"Origin": FOREIGN},
    )
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response
    assert response.json() == {
        "detail": "Schreibzugriffe von fremden Webseiten sind nicht erlaubt."
    }
    assert not Report.objects.exists()


def test_an_app_without_origin_still_posts(client):
    # servers and apps send no Origin: the API answers itself (here: the key is wrong)
    response = client.post("/open311/v2/requests.json", {"api_key": "falsch", "service_code": "x"})
    assert response.status_code == 403
    assert "api_key" in response.content.decode()


def test_the_staff_api_and_the_site_are_not_shared(client):
    for path in ("/api/v1/tickets/", "/impressum/", "/anliegen/neu/"):
        response = client.get(path, headers={"Origin": FOREIGN})
        assert "Access-Control-Allow-Origin" not in response, path

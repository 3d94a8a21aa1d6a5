"""`/api/v1/reports/`: published reports as GeoJSON, never personal data."""

from decimal import Decimal

import pytest

from portal.tickets.constants import PublishMode
from services.reports.services import report_submit
from tests.factories import CategoryFactory, DistrictFactory, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports():
    DistrictFactory(name="Mitte", area=square(7.55, 51.43, 0.02))
    public = CategoryFactory(slug="licht", publish_mode=PublishMode.IMMEDIATE)
    hidden = CategoryFactory(slug="muell", publish_mode=PublishMode.AFTER_REVIEW)

    def make(category, lat, lon):
        return report_submit(
            category=category, description="Defekt", latitude=Decimal(lat),
            longitude=Decimal(lon), name="Erika Geheim", email="erika.geheim@example.org",
        )  # fmt: skip

    return (
        make(public, "51.435", "7.555"),
        make(public, "51.445", "7.565"),
        make(hidden, "51.44", "7.56"),
    )


def test_geojson_of_published_reports_without_personal_data(client, reports):
    response = client.get("/api/v1/reports/")
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection" and body["count"] == 2
    feature = body["features"][0]
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "Point"
    lon, lat = feature["geometry"]["coordinates"]
    assert 7.5 < lon < 7.6 and 51.4 < lat < 51.5  # GeoJSON order: longitude first
    assert feature["properties"]["status"] == "eingegangen"
    assert "Geheim" not in response.content.decode()
    assert "erika" not in response.content.decode()


def test_bbox_and_category_filters(client, reports):
    first, second, _ = reports
    response = client.get("/api/v1/reports/", {"bbox": "7.55,51.43,7.56,51.44"})
    assert [f["id"] for f in response.json()["features"]] == [first.ticket.number]
    assert client.get("/api/v1/reports/", {"category": "muell"}).json()["count"] == 0
    assert client.get("/api/v1/reports/", {"bbox": "nonsense"}).status_code == 400
    assert client.get("/api/v1/reports/", {"bbox": "8,52,7,51"}).status_code == 400


def test_single_report_and_unpublished_is_404(client, reports):
    first, _, unpublished = reports
    assert client.get(f"/api/v1/reports/{first.ticket.number}/").json()["id"] == (
        first.ticket.number
    )
    assert client.get(f"/api/v1/reports/{unpublished.ticket.number}/").status_code == 404


def test_list_in_constant_queries(client, reports, django_assert_max_num_queries):
    category = CategoryFactory(publish_mode=PublishMode.IMMEDIATE)
    for i in range(60):
        report_submit(
            category=category, description=f"Nr. {i}", latitude=Decimal("51.44"),
            longitude=Decimal("7.56"),
        )  # fmt: skip
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/reports/?limit=500")
    assert response.json()["count"] == 62

import re

import pytest
from django.core.exceptions import ValidationError

from portal.departments.geo import validate_area_geojson
from portal.departments.models import DepartmentMembership, MembershipRole
from portal.departments.selectors import district_for_location
from tests.factories import DepartmentFactory, DistrictFactory, UserFactory, square

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "value",
    [
        {"type": "Point", "coordinates": [7.5, 51.4]},
        {"type": "Polygon", "coordinates": "kaputt"},
        # a bow tie: the outline crosses itself
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[700, 0], [701, 0], [701, 1], [700, 0]]]},
        "kein json-objekt",
    ],
)
def test_invalid_district_areas_are_rejected_in_german(value):
    with pytest.raises(ValidationError) as error:
        validate_area_geojson(value)
    assert any(
        word in " ".join(error.value.messages) for word in ("Polygon", "GeoJSON", "Koordinaten")
    )


def test_district_lookup_by_location():
    mitte = DistrictFactory(name="Mitte", area=square(7.55, 51.43, 0.02))
    DistrictFactory(name="Ergste", area=square(7.53, 51.40, 0.02))
    assert district_for_location(latitude=51.44, longitude=7.56) == mitte
    assert mitte.contains(latitude=51.44, longitude=7.56)
    assert district_for_location(latitude=52.52, longitude=13.40) is None


def test_membership_is_unique_per_department():
    department = DepartmentFactory()
    user = UserFactory()
    DepartmentMembership.objects.create(department=department, user=user)
    with pytest.raises(Exception):  # noqa: B017 - IntegrityError, wrapped differently per database
        DepartmentMembership.objects.create(
            department=department, user=user, role=MembershipRole.HEAD
        )


def test_public_api_lists_active_departments_and_districts(client, django_assert_max_num_queries):
    DepartmentFactory(name="Tiefbauamt")
    DepartmentFactory(name="Altes Amt", is_active=False)
    for _ in range(30):
        DistrictFactory()
    response = client.get("/api/v1/departments/")
    assert response.status_code == 200
    names = [d["name"] for d in response.json()["results"]]
    assert names == ["Tiefbauamt"]
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/districts/")
    assert response.json()["count"] == 30
    assert response.json()["results"][0]["area"]["type"] == "Polygon"


def test_api_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/departments/" in schema.content
    assert b"/admin/api/" not in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    # every script, style and icon comes from the portal itself, none from a CDN (the page
    # also carries a random CSRF token, so no search for the letters "cdn" in the whole page)
    sources = re.findall(r'(?:src|href)="([^"]+)"', docs.content.decode())
    assert sources and all(source.startswith("/static/") for source in sources), sources

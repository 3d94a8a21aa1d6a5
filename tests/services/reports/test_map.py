"""`/maengel/karte.json`: the map's markers, single reports when zoomed in, server-side clusters
when zoomed out, never more than 500 features and never personal data."""

import io
import random
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.tickets.constants import TicketStatus
from portal.tickets.models import Ticket
from services.reports.map import MAX_FEATURES
from services.reports.models import Report
from tests.factories import CategoryFactory, DistrictFactory, square

pytestmark = pytest.mark.django_db

URL = "/maengel/karte.json"
NAME = "Erika Geheimname"
EMAIL = "erika.geheim@example.org"
# the whole city of the fixture below, and one street corner in it
CITY_BBOX = "7.48,51.39,7.68,51.59"
CORNER_BBOX = "7.560,51.440,7.570,51.450"


@pytest.fixture
def city():
    return DistrictFactory(name="Schwerte-Mitte", area=square(7.48, 51.39, 0.2))


@pytest.fixture
def lights(city):
    return CategoryFactory(name="Straßenbeleuchtung defekt", slug="beleuchtung")


@pytest.fixture
def graffiti(city):
    return CategoryFactory(name="Graffiti", slug="graffiti")


def bulk_reports(
    category, district, points, *, status=TicketStatus.RECEIVED, published=True, rebuild=True
):
    """One published report per (lat, lon), with a reporter's name and e-mail that must never
    reach the map."""
    year = timezone.localdate().year
    start = Ticket.objects.count()
    tickets = Ticket.objects.bulk_create(
        Ticket(
            number=f"{year}-8{start + n:05d}",
            source_kind="maengel",
            category=category,
            summary=f"Meldung {n}",
            district=district,
            status=status,
        )  # fmt: skip
        for n in range(len(points))
    )
    Report.objects.bulk_create(
        Report(
            category=category,
            description=f"Meldung {n}",
            latitude=Decimal(f"{lat:.6f}"),
            longitude=Decimal(f"{lon:.6f}"),
            reporter_name=NAME,
            reporter_email=EMAIL,
            ticket=ticket,
            is_published=published,
            published_at=timezone.now() if published else None,
        )  # fmt: skip
        for n, (ticket, (lat, lon)) in enumerate(zip(tickets, points, strict=True))
    )
    if rebuild:
        # bulk_create bypasses the writers, as an import does: the map's clusters are counted anew
        call_command("rebuild_map_clusters", stdout=io.StringIO())
    return tickets


def scattered(count: int, *, seed: int = 1, bbox=(7.50, 51.40, 7.66, 51.57)):
    rng = random.Random(seed)
    west, south, east, north = bbox
    return [(rng.uniform(south, north), rng.uniform(west, east)) for _ in range(count)]


def get(client, **params):
    response = client.get(URL, params)
    assert response["Content-Type"] == "application/json"
    return response


def counted(features) -> int:
    return sum(f["properties"]["count"] if f["properties"].get("cluster") else 1 for f in features)


def test_zoomed_in_the_map_shows_single_reports_with_their_public_properties(client, lights, city):
    inside = bulk_reports(lights, city, [(51.4451, 7.5652), (51.4453, 7.5658)])
    bulk_reports(lights, city, [(51.5000, 7.6000)])  # outside the box
    bulk_reports(lights, city, [(51.4452, 7.5655)], published=False)

    response = get(client, bbox=CORNER_BBOX, zoom=16)

    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "FeatureCollection"
    by_number = {f["id"]: f for f in data["features"]}
    assert set(by_number) == {t.number for t in inside}
    feature = by_number[inside[0].number]
    assert feature["geometry"] == {"type": "Point", "coordinates": [7.5652, 51.4451]}
    assert feature["properties"] == {
        "number": inside[0].number,
        "category": "Straßenbeleuchtung defekt",
        "status_label": "eingegangen",
        "traffic_light": "rot",
        "url": f"/maengel/{inside[0].number}/",
    }


def test_zoomed_out_reports_are_clustered_and_the_counts_add_up(client, lights, city):
    bulk_reports(lights, city, scattered(300))
    # a report alone in the north-east corner stays a report, with its popup
    (alone,) = bulk_reports(lights, city, [(51.585, 7.675)])

    data = get(client, bbox=CITY_BBOX, zoom=12).json()

    clusters = [f for f in data["features"] if f["properties"].get("cluster")]
    assert clusters, "zoomed out, the reports must be clustered"
    assert len(data["features"]) < 301
    assert counted(data["features"]) == 301
    assert all(c["properties"]["count"] >= 2 for c in clusters)
    assert alone.number in {f.get("id") for f in data["features"]}
    # a cluster sits at the mean position of its reports, inside the box
    for cluster in clusters:
        lon, lat = cluster["geometry"]["coordinates"]
        assert 7.48 <= lon <= 7.68 and 51.39 <= lat <= 51.59
        assert set(cluster["properties"]) == {"cluster", "count"}


def test_counts_cover_only_the_reports_in_the_box(client, lights, city):
    bulk_reports(lights, city, scattered(200, bbox=(7.50, 51.40, 7.55, 51.45)))
    bulk_reports(lights, city, scattered(50, seed=2, bbox=(7.60, 51.50, 7.66, 51.57)))

    data = get(client, bbox="7.49,51.39,7.56,51.46", zoom=13).json()

    assert counted(data["features"]) == 200


def test_never_more_than_500_features_for_2000_reports(client, lights, city):
    bulk_reports(lights, city, scattered(2000))

    for zoom in (10, 13, 14, 15, 18):
        data = get(client, bbox=CITY_BBOX, zoom=zoom).json()
        assert len(data["features"]) <= MAX_FEATURES, zoom
        assert counted(data["features"]) == 2000, zoom


def test_zoomed_in_but_too_many_reports_are_clustered_too(client, lights, city):
    bulk_reports(lights, city, scattered(600, bbox=(7.562, 51.442, 7.568, 51.448)))

    data = get(client, bbox=CORNER_BBOX, zoom=17).json()

    assert len(data["features"]) <= MAX_FEATURES
    assert counted(data["features"]) == 600
    assert any(f["properties"].get("cluster") for f in data["features"])


def test_a_box_larger_than_the_city_is_clamped_to_it(client, lights, city):
    bulk_reports(lights, city, scattered(100))

    world = get(client, bbox="-180,-90,180,90", zoom=2).json()
    assert counted(world["features"]) == 100
    assert len(world["features"]) <= MAX_FEATURES
    # the whole world at zoom 2 would be one cell; clamped to the city, the grid is finer
    assert (
        get(client, bbox="-10,40,20,60", zoom=12).json()
        == get(client, bbox=CITY_BBOX, zoom=12).json()
    )
    assert get(client, bbox="10,10,11,11", zoom=12).json()["features"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"zoom": 12},
        {"bbox": "", "zoom": 12},
        {"bbox": "7.5,51.4,7.6", "zoom": 12},
        {"bbox": "a,b,c,d", "zoom": 12},
        {"bbox": "7.6,51.4,7.5,51.5", "zoom": 12},  # west east of east
        {"bbox": "7.5,91,7.6,92", "zoom": 12},
        {"bbox": "nan,51.4,7.6,51.5", "zoom": 12},
        {"bbox": "7.5,51.4,7.6,Infinity", "zoom": 12},
        {"bbox": CITY_BBOX},
        {"bbox": CITY_BBOX, "zoom": "zwölf"},
        {"bbox": CITY_BBOX, "zoom": 99},
        {"bbox": CITY_BBOX, "zoom": 12, "status": "kaputt"},
        {"bbox": CITY_BBOX, "zoom": 12, "district": "Mitte"},
    ],
)
def test_a_bad_query_gets_400_with_a_german_message(client, city, params):
    response = get(client, **params)
    assert response.status_code == 400
    message = response.json()["error"]
    assert any(word in message for word in ("Kartenausschnitt", "Zoomstufe", "Status", "Stadtteil"))


def test_category_and_status_filters(client, lights, graffiti, city):
    open_lights = bulk_reports(lights, city, [(51.4451, 7.5652)])
    done_lights = bulk_reports(lights, city, [(51.4452, 7.5653)], status=TicketStatus.DONE)
    bulk_reports(graffiti, city, [(51.4453, 7.5654)])

    def numbers(**params):
        data = get(client, bbox=CORNER_BBOX, zoom=16, **params).json()
        return {f["id"] for f in data["features"]}

    assert len(numbers()) == 3
    assert numbers(category="beleuchtung") == {open_lights[0].number, done_lights[0].number}
    assert numbers(category="beleuchtung", status="offen") == {open_lights[0].number}
    assert numbers(status="erledigt") == {done_lights[0].number}
    assert numbers(category="gibt-es-nicht") == set()
    clustered = get(client, bbox=CITY_BBOX, zoom=10, category="graffiti").json()
    assert counted(clustered["features"]) == 1


def test_constant_number_of_queries_for_500_reports(
    client, lights, graffiti, city, django_assert_max_num_queries
):
    bulk_reports(lights, city, scattered(400))
    bulk_reports(graffiti, city, scattered(100, seed=3, bbox=(7.562, 51.442, 7.568, 51.448)))

    # clusters, with the lonely reports fetched in one go
    with django_assert_max_num_queries(3):
        clustered = get(client, bbox=CITY_BBOX, zoom=14, status="offen")
    assert counted(clustered.json()["features"]) == 500
    # single reports
    with django_assert_max_num_queries(2):
        singles = get(client, bbox=CORNER_BBOX, zoom=16, category="graffiti")
    assert len(singles.json()["features"]) == 100


def test_no_personal_data_in_the_output(client, lights, city):
    bulk_reports(lights, city, scattered(50, bbox=(7.562, 51.442, 7.568, 51.448)))
    bulk_reports(lights, city, scattered(50))

    for zoom in (10, 14, 16):
        text = get(client, bbox=CITY_BBOX, zoom=zoom).content.decode()
        assert NAME not in text and EMAIL not in text
        assert "Meldung 1" not in text  # nor the description: the report page shows that

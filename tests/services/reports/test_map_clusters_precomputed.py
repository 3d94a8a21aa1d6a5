"""`/maengel/karte.json` from the precomputed clusters: what the map shows equals the clusters
counted from the reports themselves, for every filter and zoom, and stays equal while reports
are published, hidden, moved, closed, recategorised and deleted; the whole city costs a fixed
number of queries however many reports there are."""

import datetime
import io
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.tickets.constants import OPEN_STATUSES, PublishMode, TicketStatus
from portal.tickets.services import ticket_change_status, ticket_route
from services.reports.map import (
    MAX_FEATURES,
    PRECOMPUTED_MAX_LEVEL,
    SINGLE_FROM_ZOOM,
    BBox,
    cell_of,
    city_bbox,
    grid_level,
)
from services.reports.models import Report, ReportMapCell
from services.reports.services import report_publish, report_submit
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    DistrictFactory,
    StaffUserFactory,
    square,
)
from tests.services.reports.test_map import bulk_reports, counted, scattered

pytestmark = pytest.mark.django_db

URL = "/maengel/karte.json"
CITY_BBOX = "7.48,51.39,7.68,51.59"
# the western half of the city and a quarter: the cells at the edges reach beyond them
VIEWS = [
    (CITY_BBOX, (10, 12, 14)),
    ("7.48,51.39,7.58,51.59", (13,)),
    ("7.53,51.45,7.58,51.50", (14, 15)),
]


@pytest.fixture
def west():
    return DistrictFactory(name="Westen", area=square(7.48, 51.39, 0.1))


@pytest.fixture
def east():
    # a square from 7.58 to 7.68 reaching north beyond the city box
    return DistrictFactory(name="Osten", area=square(7.58, 51.39, 0.2))


@pytest.fixture
def categories(west, east):
    department = DepartmentFactory()
    return [
        CategoryFactory(
            slug=slug, default_department=department, publish_mode=PublishMode.IMMEDIATE
        )
        for slug in ("beleuchtung", "graffiti", "muell")
    ]


@pytest.fixture
def reports(categories, west, east):
    """A few hundred published reports spread over the city, of every category, district and
    status, some of them at the same spot, and some not published."""
    rng = random.Random(16)
    for district, box in (
        (west, (7.481, 51.391, 7.579, 51.589)),
        (east, (7.581, 51.391, 7.679, 51.589)),
    ):
        for category in categories:
            for status in (TicketStatus.RECEIVED, TicketStatus.IN_PROGRESS, TicketStatus.DONE):
                points = scattered(rng.randint(10, 40), seed=rng.randint(0, 10**6), bbox=box)
                points += points[:2]  # the same spot twice
                bulk_reports(category, district, points, status=status, rebuild=False)
    bulk_reports(categories[0], west, scattered(20, seed=5), published=False)
    return Report.objects.all()


def expected(*, bbox: str, zoom: int, category="", status="", district=None, days=None):
    """The clusters counted in Python from the published reports: per cell of the view's grid
    level that the (clamped) box touches, the count and the mean position; a cell of one
    report is that report."""
    box = BBox(*(float(part) for part in bbox.split(",")))
    box = box.clamp(city_bbox())
    level = grid_level(zoom, box)
    (south, west), (north, east) = (
        cell_of(box.south, box.west, level),
        cell_of(box.north, box.east, level),
    )
    reports = Report.objects.filter(is_published=True, ticket__isnull=False).select_related(
        "ticket", "category"
    )
    cells = defaultdict(list)
    in_box = []
    for report in reports:
        if category and report.category.slug != category:
            continue
        is_open = report.ticket.status in OPEN_STATUSES
        if (status == "offen" and not is_open) or (status == "erledigt" and is_open):
            continue
        if district is not None and report.ticket.district_id != district:
            continue
        if days and report.created_at < timezone.now() - datetime.timedelta(days=days):
            continue
        lat, lon = float(report.latitude), float(report.longitude)
        if box.south <= lat <= box.north and box.west <= lon <= box.east:
            in_box.append(("report", report.ticket.number))
        y, x = cell_of(lat, lon, level)
        if south <= y <= north and west <= x <= east:
            cells[y, x].append(report)
    if zoom >= SINGLE_FROM_ZOOM and len(in_box) <= MAX_FEATURES:
        return sorted(in_box)
    result = []
    for members in cells.values():
        if len(members) == 1:
            result.append(("report", members[0].ticket.number))
        else:
            lat = sum(float(r.latitude) for r in members) / len(members)
            lon = sum(float(r.longitude) for r in members) / len(members)
            result.append(("cluster", len(members), lon, lat))
    return result


def shown(client, **params) -> list:
    response = client.get(URL, params)
    assert response.status_code == 200
    features = response.json()["features"]
    assert len(features) <= MAX_FEATURES
    result = []
    for feature in features:
        if feature["properties"].get("cluster"):
            lon, lat = feature["geometry"]["coordinates"]
            count = feature["properties"]["count"]
            result.append(("cluster", count, lon, lat))
        else:
            result.append(("report", feature["id"]))
    return result


def same(actual: list, wanted: list) -> bool:
    """The same reports and clusters; a cluster's position as the database's floating-point
    mean gives it, within 10 cm."""
    if sorted(a for a in actual if a[0] == "report") != sorted(
        w for w in wanted if w[0] == "report"
    ):
        return False
    clusters = [a for a in actual if a[0] == "cluster"]
    for _kind, count, lon, lat in (w for w in wanted if w[0] == "cluster"):
        match = next(
            (
                c
                for c in clusters
                if c[1] == count and abs(c[2] - lon) <= 1e-6 and abs(c[3] - lat) <= 1e-6
            ),
            None,
        )
        if match is None:
            return False
        clusters.remove(match)
    return not clusters


def filter_combinations(categories, west):
    yield {}
    yield {"category": categories[1].slug}
    yield {"status": "offen"}
    yield {"status": "erledigt", "district": west.pk}
    yield {"category": categories[0].slug, "status": "offen", "district": west.pk}


def assert_map_equals_reports(client, categories, west, views=VIEWS):
    for bbox, zooms in views:
        for zoom in zooms:
            for filters in filter_combinations(categories, west):
                assert same(
                    shown(client, bbox=bbox, zoom=zoom, **filters),
                    expected(bbox=bbox, zoom=zoom, **filters),
                ), (bbox, zoom, filters)


def test_the_map_shows_what_the_reports_add_up_to(client, reports, categories, west):
    assert reports.count() > 300
    assert_map_equals_reports(client, categories, west)


def test_a_time_window_is_counted_from_the_reports(client, reports, categories, west):
    old = list(Report.objects.filter(is_published=True).values_list("pk", flat=True)[:100])
    Report.objects.filter(pk__in=old).update(created_at=timezone.now() - datetime.timedelta(60))

    for zoom in (11, 13):
        assert same(
            shown(client, bbox=CITY_BBOX, zoom=zoom, days=30),
            expected(bbox=CITY_BBOX, zoom=zoom, days=30),
        )
    assert (
        counted(client.get(URL, {"bbox": CITY_BBOX, "zoom": 11, "days": 30}).json()["features"])
        == Report.objects.filter(is_published=True).count() - 100
    )


def test_the_map_follows_every_change_of_a_report(
    client, reports, categories, west, east, django_capture_on_commit_callbacks
):
    staff = StaffUserFactory()
    views = [(CITY_BBOX, (11, 13, 14)), ("7.53,51.45,7.58,51.50", (14,))]

    def check():
        assert_map_equals_reports(client, categories, west, views=views)

    with django_capture_on_commit_callbacks(execute=True):
        new = report_submit(
            category=categories[2],
            description="Laterne dunkel",
            latitude=Decimal("51.401234"),
            longitude=Decimal("7.501234"),
        )
    new.ticket = ticket_route(ticket_id=new.ticket_id)
    city = {"bbox": CITY_BBOX, "zoom": 12, "category": categories[2].slug}
    assert counted(client.get(URL, city).json()["features"]) == (
        Report.objects.filter(is_published=True, category=categories[2]).count()
    )
    check()

    hidden = Report.objects.filter(is_published=False).first()
    with django_capture_on_commit_callbacks(execute=True):
        report_publish(report=hidden)
    check()

    with django_capture_on_commit_callbacks(execute=True):
        ticket_change_status(
            ticket=new.ticket, actor=staff, status=TicketStatus.DONE, public_message="Repariert."
        )
    check()

    # moderation in the admin saves the report itself: hidden, moved, recategorised
    some = list(Report.objects.filter(is_published=True).order_by("pk")[:3])
    with django_capture_on_commit_callbacks(execute=True):
        some[0].is_published = False
        some[0].save()
    with django_capture_on_commit_callbacks(execute=True):
        some[1].latitude, some[1].longitude = Decimal("51.588888"), Decimal("7.678888")
        some[1].save()
    with django_capture_on_commit_callbacks(execute=True):
        some[2].category = categories[1]
        some[2].save()
    check()

    with django_capture_on_commit_callbacks(execute=True):
        some[1].delete()
    check()


def test_the_rebuild_counts_what_the_changes_counted(
    client, reports, categories, django_capture_on_commit_callbacks
):
    staff = StaffUserFactory()
    for report in Report.objects.filter(is_published=True).select_related("ticket")[:10]:
        report.ticket = ticket_route(ticket_id=report.ticket_id)
        with django_capture_on_commit_callbacks(execute=True):
            is_open = report.ticket.status in OPEN_STATUSES
            status = TicketStatus.DONE if is_open else TicketStatus.IN_REVIEW
            ticket_change_status(ticket=report.ticket, actor=staff, status=status,
                                 public_message="Geändert.")  # fmt: skip
            report.longitude += Decimal("0.001")
            report.category = categories[2]
            report.save()

    def snapshot():
        return set(
            ReportMapCell.objects.filter(count__gt=0).values_list(
                "level",
                "cell_y",
                "cell_x",
                "category_id",
                "status",
                "district_id",
                "count",
                "sum_latitude_e6",
                "sum_longitude_e6",
                "sum_report_id",
            )  # fmt: skip
        )

    kept = snapshot()
    call_command("rebuild_map_clusters", stdout=io.StringIO())
    assert snapshot() == kept
    assert {row[0] for row in kept} == set(range(PRECOMPUTED_MAX_LEVEL + 1))


def test_the_whole_city_costs_a_fixed_number_of_queries(
    client, reports, categories, west, django_assert_max_num_queries
):
    # the districts (for the city's box), the category, the cells, the lonely reports
    for zoom in (11, 12, 13):
        with django_assert_max_num_queries(4):
            response = client.get(
                URL,
                {"bbox": CITY_BBOX, "zoom": zoom, "category": categories[0].slug,
                 "status": "offen", "district": west.pk},
            )  # fmt: skip
        assert response.status_code == 200
        assert counted(response.json()["features"]) > 0


def test_an_unknown_category_shows_nothing(client, reports):
    assert shown(client, bbox=CITY_BBOX, zoom=12, category="gibt-es-nicht") == []
    assert shown(client, bbox=CITY_BBOX, zoom=12, category="") != []

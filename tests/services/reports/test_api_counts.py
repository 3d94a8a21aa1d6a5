"""The API's lists count at most 1,000 entries: above that `count` is 1,000 and `count_exact` false
("mehr als 1.000"), and `next` still leads to every page. No public list counts all rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.core.pagination import COUNT_CAP
from portal.tickets.constants import PublishMode, RoutingState, TicketStatus
from portal.tickets.models import Ticket
from services.reports.models import Report
from tests.factories import CategoryFactory, DepartmentFactory, DistrictFactory, square

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/reports/"
PUBLIC_LISTS = [
    "/api/v1/reports/",
    "/api/v1/reports/?bbox=7.49,51.40,7.66,51.48",
    "/api/v1/ideas/",
    "/api/v1/projects/",
    "/api/v1/services/",
    "/api/v1/departments/",
    "/api/v1/districts/",
]


def published_reports(n: int, *, lat: str = "51.44", lon: str = "7.56") -> list[Report]:
    """n published reports with their tickets, in two bulk inserts (as bench/reports.py seeds)."""
    category = CategoryFactory(publish_mode=PublishMode.IMMEDIATE)
    district = DistrictFactory(area=square(7.55, 51.43, 0.02))
    department = DepartmentFactory()
    now = timezone.now()
    first = Ticket.objects.count()
    tickets = Ticket.objects.bulk_create(
        Ticket(
            number=f"2026-{800000 + first + i:06d}",
            access_token=f"counts-{first + i}",
            source_kind="maengel",
            category=category,
            summary=f"Meldung {i}",
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            district=district,
            department=department,
            status=TicketStatus.RECEIVED,
            routing_state=RoutingState.ROUTED,
            received_at=now,
            due_date=now.date() + datetime.timedelta(days=14),
        )  # fmt: skip
        for i in range(n)
    )
    return Report.objects.bulk_create(
        Report(
            category=category,
            description=f"Meldung {i}",
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            is_published=True,
            published_at=now,
            ticket=ticket,
            created_at=now - datetime.timedelta(seconds=i),
        )  # fmt: skip
        for i, ticket in enumerate(tickets)
    )


def unlimited_counts(captured) -> list[str]:
    return [
        query["sql"]
        for query in captured.captured_queries
        if "COUNT(" in query["sql"].upper() and "LIMIT" not in query["sql"].upper()
    ]


def test_above_1000_the_count_says_more_and_next_leads_to_every_report(
    client, django_assert_max_num_queries
):
    reports = published_reports(COUNT_CAP + 30)
    seen, url = [], f"{REPORTS}?limit=500"
    while url:
        with django_assert_max_num_queries(3), CaptureQueriesContext(connection) as captured:
            body = client.get(url).json()
        assert unlimited_counts(captured) == []
        assert body["count"] == COUNT_CAP and body["count_exact"] is False
        seen += [feature["id"] for feature in body["features"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == len(reports)  # 500, 500 and 30
    assert {report.ticket.number for report in reports} == set(seen)


def test_up_to_1000_the_count_is_exact(client):
    published_reports(COUNT_CAP)
    published_reports(5, lat="51.47", lon="7.64")  # outside the box below
    body = client.get(REPORTS, {"bbox": "7.55,51.43,7.57,51.45"}).json()
    assert body["count"] == COUNT_CAP and body["count_exact"] is True
    assert len(body["features"]) == 100
    last = client.get(REPORTS, {"bbox": "7.55,51.43,7.57,51.45", "offset": "950"}).json()
    assert len(last["features"]) == 50 and last["next"] is None
    beyond = client.get(REPORTS, {"bbox": "7.55,51.43,7.57,51.45", "offset": "5000"}).json()
    assert beyond["features"] == [] and beyond["next"] is None
    whole = client.get(REPORTS).json()
    assert whole["count"] == COUNT_CAP and whole["count_exact"] is False


def test_a_page_past_the_cap_is_served_and_ends_the_list(client):
    published_reports(COUNT_CAP + 30)
    body = client.get(REPORTS, {"limit": "500", "offset": "1000"}).json()
    assert len(body["features"]) == 30 and body["next"] is None
    assert "offset=500" in body["previous"]


def test_no_public_list_counts_every_row(client, demo_site):
    published_reports(20)
    for url in PUBLIC_LISTS:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        body = response.json()
        assert body["count_exact"] is True and body["count"] >= 1, url
        assert unlimited_counts(captured) == [], url


def test_the_schema_documents_the_capped_count(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    for name in ("PaginatedIdeaList", "PaginatedProjectList"):
        properties = components[name]["properties"]
        assert properties["count_exact"]["type"] == "boolean"
        assert "1.000" in properties["count"]["description"]
        assert "count_exact" in components[name]["required"]
    reports = schema["paths"]["/api/v1/reports/"]["get"]["responses"]["200"]["content"]
    collection = reports["application/json"]["schema"]
    collection = (
        components[collection["$ref"].rsplit("/", 1)[1]] if "$ref" in collection else (collection)
    )
    assert collection["properties"]["count_exact"]["type"] == "boolean"


def test_a_box_holding_more_than_the_cap_is_read_in_date_order_not_sorted_whole(client):
    """SQLite answers a bbox from the (latitude, longitude) index and sorts every report in it;
    for a box holding much of the city the portal makes it walk the date order instead."""
    reports = published_reports(COUNT_CAP + 30)
    published_reports(3, lat="51.47", lon="7.64")  # outside the box, and the newest
    with CaptureQueriesContext(connection) as captured:
        body = client.get(REPORTS, {"bbox": "7.55,51.43,7.57,51.45", "limit": "500"}).json()
    newest_first = sorted(reports, key=lambda report: report.created_at, reverse=True)
    assert [f["id"] for f in body["features"]] == [r.ticket.number for r in newest_first[:500]]
    if connection.vendor != "sqlite":
        return  # PostgreSQL chooses its plan from its statistics
    (page,) = [q["sql"] for q in captured.captured_queries if "LIMIT 501" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {page}")
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "reports_public_newest" in plan and "TEMP B-TREE" not in plan

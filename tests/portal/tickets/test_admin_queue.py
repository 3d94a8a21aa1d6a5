"""The clerk's queue: constant queries with 2,000 tickets, filters, sorting and the CSV export."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.departments.models import DepartmentMembership
from portal.tickets.constants import RoutingState, TicketStatus
from portal.tickets.models import Ticket
from tests.factories import CategoryFactory, DepartmentFactory, DistrictFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/anliegen/"
EXPORT = "/admin/anliegen/export/"
MAX_QUEUE_QUERIES = 25


@pytest.fixture
def setup(client, login_with_second_factor):
    department = DepartmentFactory(name="Tiefbauamt", short_name="TBA")
    other = DepartmentFactory(name="Grünflächenamt", short_name="GFA")
    clerk = StaffUserFactory(email="clerk@stadt.example", first_name="Tilo", last_name="Tiefbau")
    colleague = StaffUserFactory(email="kollegin@stadt.example", first_name="Kim", last_name="K")
    for user in (clerk, colleague):
        DepartmentMembership.objects.create(department=department, user=user)
    login_with_second_factor(client, clerk)
    return {
        "client": client,
        "department": department,
        "other": other,
        "clerk": clerk,
        "colleague": colleague,
        "road": CategoryFactory(name="Straßenschäden", default_department=department),
        "light": CategoryFactory(name="Beleuchtung", default_department=department),
        "mitte": DistrictFactory(name="Schwerte-Mitte"),
        "ost": DistrictFactory(name="Schwerte-Ost"),
    }


def make_tickets(count: int, *, start: int = 1, **fields) -> list[Ticket]:
    """Tickets straight into the table, fast: every row needs its own number and token."""
    today = timezone.localdate()
    now = timezone.now()
    tickets = []
    for i in range(start, start + count):
        values = {
            "source_kind": "anliegen",
            "summary": f"Schlagloch Nummer {i}",
            "routing_state": RoutingState.ROUTED,
            "due_date": today + datetime.timedelta(days=(i % 40) - 10),
            "received_at": now - datetime.timedelta(minutes=i),
            **fields,
        }
        tickets.append(Ticket(number=f"2026-{i:06d}", access_token=f"token-{i:08d}", **values))
    return Ticket.objects.bulk_create(tickets)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_queue_with_2000_tickets_renders_in_constant_queries(setup, django_assert_max_num_queries):
    client = setup["client"]
    common = {"category": setup["road"], "department": setup["department"]}
    urls = [
        QUEUE,
        QUEUE + "?p=7&ordering=number",
        QUEUE + f"?q=Schlagloch&district={setup['ost'].pk}&f=1",
        QUEUE + "?mine=on&overdue=on",
    ]
    # a few rows for every URL, so that the same page parts render with 10 and 2,000 tickets
    make_tickets(5, district=setup["mitte"], assignee=setup["colleague"], **common)
    make_tickets(5, start=6, district=setup["ost"], assignee=setup["clerk"], **common)
    client.get(QUEUE)  # warm per-process caches (content types, site, ...)
    few = [count_queries(client, url) for url in urls]

    make_tickets(995, start=11, district=setup["ost"], assignee=setup["clerk"], **common)
    make_tickets(995, start=1006, category=setup["light"], department=setup["department"])
    assert Ticket.objects.count() == 2000
    with django_assert_max_num_queries(MAX_QUEUE_QUERIES):
        response = client.get(QUEUE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "2000 Anliegen gefunden" in page
    assert page.count('name="ticket"') == 50  # one page of 50 rows
    # the same number of queries for 10 and for 2,000 tickets, with filters and on later pages
    assert [count_queries(client, url) for url in urls] == few


def rows(page: str) -> list[str]:
    """The ticket numbers of the queue's table, in order."""
    import re

    return re.findall(r'href="/admin/anliegen/\d+/"><strong>([\d-]+)</strong>', page)


def test_filters(setup):
    client = setup["client"]
    department, road, light = setup["department"], setup["road"], setup["light"]
    today = timezone.localdate()
    later = today + datetime.timedelta(days=10)
    make_tickets(
        1, start=1, category=road, department=department, district=setup["mitte"], due_date=later
    )
    make_tickets(
        1, start=2, category=light, department=department, district=setup["ost"], due_date=later
    )
    make_tickets(
        1,
        start=3,
        category=road,
        department=department,
        assignee=setup["clerk"],
        due_date=today - datetime.timedelta(days=3),
        summary="Gehweg abgesackt",
    )
    make_tickets(1, start=4, category=road, department=department, status=TicketStatus.DONE)
    make_tickets(
        1,
        start=5,
        category=road,
        department=department,
        status=TicketStatus.IN_PROGRESS,
        due_date=today + datetime.timedelta(days=1),
    )

    def numbers(**params):
        return sorted(rows(client.get(QUEUE, params).content.decode()))

    # open only by default; the closed one appears when the box is unticked
    assert numbers() == ["2026-000001", "2026-000002", "2026-000003", "2026-000005"]
    assert "2026-000004" in numbers(f="1")
    assert numbers(f="1", status=TicketStatus.DONE) == ["2026-000004"]
    assert numbers(status=TicketStatus.IN_PROGRESS) == ["2026-000005"]
    assert numbers(category=light.pk) == ["2026-000002"]
    assert numbers(district=setup["mitte"].pk) == ["2026-000001"]
    assert numbers(overdue="on") == ["2026-000003"]
    assert numbers(mine="on") == ["2026-000003"]
    assert numbers(q="Gehweg") == ["2026-000003"]
    assert numbers(q="000002") == ["2026-000002"]
    # the overdue ticket is flagged in words, not only by colour
    page = client.get(QUEUE, {"q": "Gehweg"}).content.decode()
    assert "überfällig" in page
    # a single-department clerk gets no department filter
    assert 'id="filter-department"' not in client.get(QUEUE).content.decode()


def test_sorting(setup):
    client = setup["client"]
    today = timezone.localdate()
    common = {"category": setup["road"], "department": setup["department"]}
    make_tickets(1, start=1, due_date=today + datetime.timedelta(days=5), **common)
    make_tickets(1, start=2, due_date=today + datetime.timedelta(days=1), **common)
    make_tickets(1, start=3, due_date=today + datetime.timedelta(days=3), **common)

    def order(**params):
        return rows(client.get(QUEUE, params).content.decode())

    assert order() == ["2026-000002", "2026-000003", "2026-000001"]  # due date first
    assert order(ordering="-due_date") == ["2026-000001", "2026-000003", "2026-000002"]
    assert order(ordering="number") == ["2026-000001", "2026-000002", "2026-000003"]
    assert order(ordering="-number") == ["2026-000003", "2026-000002", "2026-000001"]
    # received_at: 000001 is the newest (see make_tickets)
    assert order(ordering="-received_at") == ["2026-000001", "2026-000002", "2026-000003"]
    assert order(ordering="nonsense") == order()


def test_pagination_keeps_filters(setup):
    client = setup["client"]
    make_tickets(120, category=setup["road"], department=setup["department"])
    page = client.get(QUEUE, {"ordering": "number", "q": "Schlagloch"}).content.decode()
    assert "Seite 1 von 3" in page
    assert "ordering=number" in page and "p=2" in page
    second = rows(client.get(QUEUE, {"ordering": "number", "p": "2"}).content.decode())
    assert second[0] == "2026-000051" and len(second) == 50


def test_csv_export_neutralises_formulas(setup):
    client = setup["client"]
    common = {"category": setup["road"], "department": setup["department"]}
    make_tickets(1, start=1, summary="=SUM(1)", address="+49 Rathausplatz", **common)
    make_tickets(1, start=2, summary="@cmd|' /C calc'!A0", address="-1", **common)
    make_tickets(1, start=3, summary="Laterne defekt", **common)
    response = client.get(EXPORT, {"q": "", "ordering": "number"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="anliegen-')
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, *body = table
    assert header[0] == "Nummer" and header[-1] == "Anliegen"
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert by_number["2026-000001"]["Anliegen"] == "'=SUM(1)"
    assert by_number["2026-000001"]["Ort"] == "'+49 Rathausplatz"
    assert by_number["2026-000002"]["Anliegen"] == "'@cmd|' /C calc'!A0"
    assert by_number["2026-000002"]["Ort"] == "'-1"
    assert by_number["2026-000003"]["Anliegen"] == "Laterne defekt"
    assert by_number["2026-000003"]["Fachbereich"] == "Tiefbauamt"
    assert by_number["2026-000003"]["Status"] == "eingegangen"


def test_csv_export_follows_the_filter(setup):
    client = setup["client"]
    make_tickets(1, start=1, category=setup["road"], department=setup["department"])
    make_tickets(1, start=2, category=setup["light"], department=setup["department"])
    body = client.get(EXPORT, {"category": setup["light"].pk}).content.decode("utf-8-sig")
    assert "2026-000002" in body and "2026-000001" not in body

"""Open311 `GET requests`: pages of 100 by default, and an ETag that answers a client which has
the page already with 304, until something the page shows changes.

Every write commits (its on-commit callbacks run), as it does in production: the public page
cache in front of the view (portal.core.pagecache) learns of changes only then. The client
carries a cookie, so that the ETag checked is the view's own, not a stored page's."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.tickets.constants import PublishMode, TicketStatus
from portal.tickets.models import Ticket
from portal.tickets.services import ticket_change_status, ticket_route
from services.reports.services import report_publish
from tests.factories import CategoryFactory, StaffUserFactory

from . import test_open311
from .test_open311 import BASE, FORMATS, make_report, requests_of

# the Open311 tests' fixtures
city, department, category = test_open311.city, test_open311.department, test_open311.category

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.cookies["open311_test"] = "1"  # past the page cache: the view answers every request
    return client


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A block of writes that commits: `with committed(): …`."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def numbers(response, fmt: str = "json") -> list[str]:
    return [item["service_request_id"] for item in requests_of(response, fmt)]


def bulk_reports(category, n: int) -> list[str]:
    """n published reports with tickets, newest first: their numbers."""
    reports = [make_report(category) for _ in range(n)]
    return [report.ticket.number for report in reversed(reports)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_default_page_has_100_requests_and_page_2_the_rest(
    client, city, category, fmt, committed
):
    with committed():
        newest_first = bulk_reports(category, 105)
    first = client.get(f"{BASE}requests.{fmt}")
    assert numbers(first, fmt) == newest_first[:100]
    assert numbers(client.get(f"{BASE}requests.{fmt}", {"page": "2"}), fmt) == newest_first[100:]
    assert numbers(client.get(f"{BASE}requests.{fmt}", {"page": "3"}), fmt) == []
    everything = client.get(f"{BASE}requests.{fmt}", {"page_size": "1000"})
    assert numbers(everything, fmt) == newest_first


def test_filters_apply_before_paging(client, city, category, committed):
    with committed():
        lamps = CategoryFactory(slug="beleuchtung", publish_mode=PublishMode.IMMEDIATE)
        holes = bulk_reports(category, 3)
        lamp = make_report(lamps)
        closed = Ticket.objects.get(number=holes[0])
        closed.status = TicketStatus.DONE
        closed.save()

    def page(**params):
        return numbers(client.get(f"{BASE}requests.json", {"page_size": "1", **params}))

    assert page() == [lamp.ticket.number]
    assert page(service_code="strassenschaden") == [holes[0]]
    assert page(service_code="strassenschaden", status="open") == [holes[1]]
    assert page(service_code="strassenschaden", status="open", page="2") == [holes[2]]
    assert page(service_code="strassenschaden", status="open", page="3") == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_page_is_not_sent_again_while_nothing_changed(client, city, category, fmt, committed):
    with committed():
        bulk_reports(category, 3)
    url = f"{BASE}requests.{fmt}"
    first = client.get(url)
    etag = first["ETag"]
    assert etag.startswith('W/"')
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    # another page, another format or another filter is another document
    assert client.get(url, {"page_size": "2"}, HTTP_IF_NONE_MATCH=etag).status_code == 200
    other = "json" if fmt == "xml" else "xml"
    assert client.get(f"{BASE}requests.{other}", HTTP_IF_NONE_MATCH=etag).status_code == 200
    # a client that sends no ETag gets the whole page, as before
    assert numbers(client.get(url), fmt) == numbers(first, fmt)


def test_a_304_reads_one_narrow_query_and_serialises_nothing(client, city, category, committed):
    with committed():
        bulk_reports(category, 30)
    url = f"{BASE}requests.json"
    etag = client.get(url)["ETag"]
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # one narrow query, or none when the page comes from the page cache (portal.core.pagecache)
    assert len(context) <= 1
    assert not any("status_notes" in query["sql"] for query in context.captured_queries)


def test_a_newly_published_report_changes_the_page(client, city, category, committed):
    with committed():
        bulk_reports(category, 2)
        reviewed = CategoryFactory(slug="muell", publish_mode=PublishMode.AFTER_REVIEW)
        waiting = make_report(reviewed)
    url = f"{BASE}requests.json"
    first = client.get(url)
    assert waiting.ticket.number not in numbers(first)
    with committed():
        report_publish(report=waiting)
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert numbers(changed)[0] == waiting.ticket.number
    # the new ETag stands until the next change
    assert client.get(url, HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 304


def test_a_new_report_changes_a_later_page_too(client, city, category, committed):
    with committed():
        bulk_reports(category, 4)
    url = f"{BASE}requests.json?page_size=2&page=2"
    first = client.get(url)
    with committed():
        make_report(category)  # everything moves one place down
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and numbers(changed) != numbers(first)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_status_change_changes_the_page(client, city, category, department, fmt, committed):
    with committed():
        report = make_report(category)
        ticket_route(ticket_id=report.ticket_id)
    url = f"{BASE}requests.{fmt}"
    first = client.get(url)
    assert requests_of(first, fmt)[0]["status"] == "open"
    with committed():
        ticket_change_status(
            ticket=Ticket.objects.get(pk=report.ticket_id),
            actor=StaffUserFactory(),
            status=TicketStatus.DONE,
            public_message="Das Schlagloch ist geflickt.",
        )
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    item = requests_of(changed, fmt)[0]
    assert item["status"] == "closed" and item["status_notes"] == "Das Schlagloch ist geflickt."


def test_an_edited_public_text_changes_the_page(client, city, category, committed):
    with committed():
        report = make_report(category)
    url = f"{BASE}requests.json"
    first = client.get(url)
    with committed():
        report.public_description = "Schlagloch (bearbeitet)"  # as the Wagtail admin saves it
        report.save(update_fields=["public_description"])
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert json.loads(changed.content)[0]["description"] == "Schlagloch (bearbeitet)"


def test_the_discovery_names_the_paging(client, db):
    body = json.loads(client.get(f"{BASE}discovery.json").content)
    assert "page_size (Vorgabe 100, höchstens 1.000)" in body["key_service"]
    assert "If-None-Match" in body["key_service"]

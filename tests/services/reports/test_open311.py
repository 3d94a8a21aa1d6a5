"""Contract tests of the Open311 GeoReport v2 API: every endpoint in XML and JSON, JSON checked
against schemas written from the spec digest, XML parsed with defusedxml."""

import datetime
import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

import pytest
import time_machine
from defusedxml import ElementTree
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from jsonschema import Draft202012Validator

from portal.tickets.constants import Channel, PublishMode, RoutingState, TicketStatus
from portal.tickets.models import Category, Ticket, TicketEvent
from portal.tickets.services import ticket_route
from services.reports.models import ApiClient, Report, ReportPhoto
from services.reports.services import report_submit
from tests.factories import CategoryFactory, DepartmentFactory, DistrictFactory, square

BASE = "/open311/v2/"
SCHEMAS = Path(__file__).parent / "open311_schemas"
FORMATS = ["xml", "json"]
FORM = "application/x-www-form-urlencoded; charset=utf-8"
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
INSIDE = {"lat": "51.441000", "long": "7.561000"}
OUTSIDE = {"lat": "52.520000", "long": "13.405000"}  # Berlin
REPORTER = {
    "first_name": "Erika",
    "last_name": "Meldewitz",
    "email": "erika.meldewitz@example.org",
    "phone": "0171 5550123",
}


# --- helpers --------------------------------------------------------------------------------------
@cache
def _validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def parse(response, fmt: str, schema: str, root: str):
    """The body as JSON (validated against the schema) or as an XML element (checked for the
    declaration, the root and the absence of namespaces)."""
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    if fmt == "json":
        data = json.loads(response.content.decode("utf-8"))
        _validator(schema).validate(data)
        return data
    body = response.content
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert b"xmlns" not in body
    element = ElementTree.fromstring(body)
    assert element.tag == root
    assert all(not node.tag.startswith("{") for node in element.iter())
    return element


def flat(element) -> dict[str, str]:
    """A flat XML item (`<request>`, `<service>`) as {tag: text}."""
    return {child.tag: child.text or "" for child in element}


def as_text(item: dict) -> dict[str, str]:
    """A JSON item as XML would write it."""
    return {
        k: ("true" if v is True else "false" if v is False else str(v)) for k, v in item.items()
    }


def errors(response, fmt: str, status: int) -> list[str]:
    assert response.status_code == status
    body = parse(response, fmt, "errors", "errors")
    if fmt == "json":
        assert all(error["code"] == status for error in body)
        return [error["description"] for error in body]
    assert [child.tag for child in body] == ["error"] * len(body)
    assert all(error.findtext("code") == str(status) for error in body)
    return [error.findtext("description") for error in body]


def requests_of(response, fmt: str) -> list[dict[str, str]]:
    """The request items of a response, in the same shape for both formats."""
    assert response.status_code == 200
    body = parse(response, fmt, "requests", "service_requests")
    if fmt == "json":
        return [as_text(item) for item in body]
    assert all(child.tag == "request" for child in body)
    return [flat(child) for child in body]


# --- fixtures -------------------------------------------------------------------------------------
@pytest.fixture
def city(db):
    return DistrictFactory(name="Holzen", area=square(7.55, 51.43, 0.02))


@pytest.fixture
def department(db):
    return DepartmentFactory(name="Tiefbauamt")


@pytest.fixture
def category(db, department):
    return CategoryFactory(
        slug="strassenschaden",
        name="Straßenschaden",
        description="Schlaglöcher, lose Platten",
        default_department=department,
        publish_mode=PublishMode.IMMEDIATE,
    )


@pytest.fixture
def api_client(db):
    client = ApiClient(name="Stadt-App")
    client.raw_key = client.issue_key()
    client.save()
    return client


@pytest.fixture
def api_key(api_client):
    return api_client.raw_key


@pytest.fixture
def post(client, api_key, django_capture_on_commit_callbacks):
    def post(fmt="json", **data):
        """Form-encoded, as the spec has clients send it."""
        body = urlencode({"api_key": api_key, **data})
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"{BASE}requests.{fmt}", body, content_type=FORM)

    return post


def make_report(category, *, description="Schlagloch vor Hausnummer 4", **kwargs) -> Report:
    return report_submit(
        category=category,
        description=description,
        latitude=Decimal(INSIDE["lat"]),
        longitude=Decimal(INSIDE["long"]),
        **kwargs,
    )


# --- discovery ------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_lists_the_endpoint_with_both_formats(client, db, fmt):
    response = client.get(f"{BASE}discovery.{fmt}")
    assert response.status_code == 200
    body = parse(response, fmt, "discovery", "discovery")
    if fmt == "json":
        (endpoint,) = body["endpoints"]
        formats = endpoint["formats"]
        assert body["key_service"] and body["contact"] and body["changeset"]
    else:
        assert {child.tag for child in body} == {"changeset", "contact", "key_service", "endpoints"}
        (endpoint_element,) = body.find("endpoints")
        assert endpoint_element.tag == "endpoint"
        formats = [f.text for f in endpoint_element.find("formats")]
        assert {f.tag for f in endpoint_element.find("formats")} == {"format"}
        endpoint = flat(endpoint_element)
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["type"] == "production"
    assert formats == ["text/xml", "application/json"]


def test_the_endpoint_url_answers_with_discovery(client, db):
    response = client.get(BASE)
    assert response.status_code == 200
    parse(response, "xml", "discovery", "discovery")


# --- services -------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_services_are_the_active_defect_categories(client, category, fmt):
    assert Category.objects.filter(slug="barrierefreiheit", is_active=True).exists()  # migration
    CategoryFactory(slug="allgemein")
    CategoryFactory(slug="abgeschafft", is_active=False)
    response = client.get(f"{BASE}services.{fmt}")
    assert response.status_code == 200
    body = parse(response, fmt, "services", "services")
    if fmt == "json":
        services = [as_text(service) for service in body]
    else:
        assert [child.tag for child in body] == ["service"]
        services = [flat(child) for child in body]
    assert services == [
        {
            "service_code": "strassenschaden",
            "service_name": "Straßenschaden",
            "description": "Schlaglöcher, lose Platten",
            "metadata": "false",
            "type": "realtime",
            "keywords": "",
            "group": "Mängelmelder",
        }
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_has_an_empty_attribute_list(client, category, fmt):
    response = client.get(f"{BASE}services/strassenschaden.{fmt}")
    assert response.status_code == 200
    body = parse(response, fmt, "service_definition", "service_definition")
    if fmt == "json":
        assert body == {"service_code": "strassenschaden", "attributes": []}
    else:
        assert body.findtext("service_code") == "strassenschaden"
        attributes = body.find("attributes")
        assert attributes is not None and len(attributes) == 0


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("code", ["gibt-es-nicht", "barrierefreiheit"])
def test_service_definition_of_an_unknown_service_is_404(client, category, fmt, code):
    response = client.get(f"{BASE}services/{code}.{fmt}")
    assert errors(response, fmt, 404) == ["Unbekannter service_code."]


@pytest.mark.parametrize(
    "path", ["discovery.csv", "services.html", "requests.yaml", "services/strassenschaden.txt"]
)
def test_an_unknown_format_is_404_with_an_xml_error_body(client, category, path):
    assert errors(client.get(BASE + path), "xml", 404)


@pytest.mark.parametrize("path, fmt", [("gibt-es-nicht.json", "json"), ("tokens/1.xml", "xml")])
def test_an_unknown_endpoint_is_404_with_an_error_body(client, db, path, fmt):
    assert errors(client.get(BASE + path), fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_wrong_method_gets_an_error_body(client, db, fmt):
    response = client.delete(f"{BASE}requests.{fmt}")
    assert errors(response, fmt, 405)
    assert response["Allow"] == "GET, HEAD, POST"


# --- POST requests --------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_post_with_lat_long_creates_a_report_with_a_routed_ticket(
    post, city, category, department, api_client, fmt
):
    response = post(
        fmt,
        service_code="strassenschaden",
        description="Tiefes Schlagloch auf dem Radweg",
        **INSIDE,
        **REPORTER,
        media_url="https://example.org/foto.jpg",
    )
    assert response.status_code == 200
    body = parse(response, fmt, "request_created", "service_requests")
    report = Report.objects.select_related("ticket").get()
    ticket = report.ticket
    if fmt == "json":
        (created,) = body
    else:
        assert [child.tag for child in body] == ["request"]
        created = flat(body[0])
        assert set(created) == {"service_request_id", "service_notice"}
    assert created["service_request_id"] == ticket.number
    assert f"{ticket.due_date:%d.%m.%Y}" in created["service_notice"]
    assert "account_id" not in created

    assert report.channel == Channel.API and ticket.channel == Channel.API
    assert report.api_client == api_client
    assert (report.latitude, report.longitude) == (Decimal("51.441000"), Decimal("7.561000"))
    assert report.reporter_name == "Erika Meldewitz"
    assert report.reporter_email == "erika.meldewitz@example.org"
    assert ticket.district == city
    assert ticket_route(ticket_id=ticket.pk).department == department


@pytest.mark.parametrize(
    "address, point",
    [
        ("Hagener Str. 12, 58239 Schwerte", ("51.441900", "7.556900")),  # the street list
        ("Am Waldrand 3, Holzen", ("51.440000", "7.560000")),  # the district's centre
    ],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_post_with_address_string_creates_a_report_with_a_routed_ticket(
    post, city, category, department, fmt, address, point
):
    response = post(
        fmt,
        service_code="strassenschaden",
        description="Gehwegplatte lose",
        address_string=address,
        lat="",
        long="",
    )
    assert response.status_code == 200
    parse(response, fmt, "request_created", "service_requests")
    report = Report.objects.get()
    assert (str(report.latitude), str(report.longitude)) == point
    assert report.address == address
    assert report.ticket.district == city
    ticket = ticket_route(ticket_id=report.ticket_id)
    assert ticket.routing_state == RoutingState.ROUTED
    assert ticket.department == department


def test_post_for_a_category_with_review_says_so(post, city, department):
    CategoryFactory(slug="muell", default_department=department)
    response = post(service_code="muell", description="Sperrmüll am Straßenrand", **INSIDE)
    (created,) = json.loads(response.content)
    assert "nach einer Prüfung veröffentlicht" in created["service_notice"]


def test_a_device_may_post_without_a_description(post, city, category, api_client):
    api_client.is_machine = True
    api_client.save()
    response = post(service_code="strassenschaden", **INSIDE)
    assert response.status_code == 200
    assert Report.objects.get().description == "Automatische Meldung: Straßenschaden"


def test_post_stores_no_phone_number(post, city, category):
    post(service_code="strassenschaden", description="Ampel dunkel", **INSIDE, **REPORTER)
    report = Report.objects.select_related("ticket").get()
    stored = json.dumps(
        [
            list(Report.objects.values().get().values()),
            list(Ticket.objects.values().get().values()),
        ],
        default=str,
    )
    assert "5550123" not in stored
    assert report.ticket.contact_email == REPORTER["email"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "data, status, message",
    [
        ({"api_key": ""}, 403, "api_key"),
        ({"api_key": "falsch"}, 403, "api_key"),
        ({"service_code": ""}, 400, "service_code fehlt."),
        ({"service_code": "gibt-es-nicht"}, 404, "Unbekannter service_code."),
        ({"service_code": "barrierefreiheit"}, 404, "Unbekannter service_code."),
        ({"long": ""}, 400, "lat und long müssen zusammen angegeben werden."),
        ({"lat": ""}, 400, "lat und long müssen zusammen angegeben werden."),
        ({"lat": "", "long": ""}, 400, "Bitte geben Sie den Ort an"),
        ({"lat": "nördlich", "long": "7.56"}, 400, "lat ist keine gültige Koordinate."),
        ({"lat": "NaN", "long": "7.56"}, 400, "lat ist keine gültige Koordinate."),
        ({"lat": "1e999999", "long": "7.56"}, 400, "lat ist keine gültige Koordinate."),
        ({"lat": "95", "long": "7.56"}, 400, "Die Koordinaten sind ungültig."),
        (OUTSIDE, 400, "Dieser Ort liegt außerhalb des Stadtgebiets."),
        (
            {"lat": "", "long": "", "address_string": "Unter den Linden 1, Berlin"},
            400,
            "Adresse nicht gefunden.",
        ),
        ({"description": ""}, 400, "Bitte beschreiben Sie den Mangel."),
        ({"description": "x" * 4001}, 400, "Die Beschreibung ist zu lang"),
        ({"email": "keine-adresse"}, 400, "Die E-Mail-Adresse ist ungültig."),
    ],
)
def test_post_errors(post, city, category, fmt, data, status, message):
    valid = {"service_code": "strassenschaden", "description": "Schlagloch", **INSIDE}
    response = post(fmt, **{**valid, **data})
    (description,) = errors(response, fmt, status)
    assert message in description
    assert not Report.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_with_a_revoked_key_is_403(post, city, category, api_client, fmt):
    api_client.revoked_at = timezone.now()
    api_client.save()
    response = post(fmt, service_code="strassenschaden", description="Schlagloch", **INSIDE)
    assert errors(response, fmt, 403)
    assert not Report.objects.exists()


def test_post_without_any_key_is_403(client, city, category):
    response = client.post(f"{BASE}requests.json", {"service_code": "strassenschaden", **INSIDE})
    assert errors(response, "json", 403) == ["api_key fehlt, ist ungültig oder gesperrt."]


def test_posts_are_rate_limited_per_client(post, city, category, settings):
    settings.OPEN311_RATE_LIMIT_PER_MINUTE = 2
    data = {"service_code": "strassenschaden", "description": "Schlagloch", **INSIDE}
    with time_machine.travel("2026-11-23T10:00:10+01:00", tick=False):
        assert [post(**data).status_code for _ in range(2)] == [200, 200]
        response = post("xml", **data)
    (description,) = errors(response, "xml", 429)
    assert "Zu viele Meldungen" in description
    assert response["Retry-After"] == "50"
    assert Report.objects.count() == 2


def test_post_needs_no_csrf_token(city, category, api_key):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        f"{BASE}requests.json",
        {"api_key": api_key, "service_code": "strassenschaden", "description": "Loch", **INSIDE},
    )
    assert response.status_code == 200


# --- GET requests ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_request_list_shows_published_reports_newest_first(client, city, category, fmt):
    older = make_report(category, name="Erika Meldewitz", email="erika@example.org")
    newer = make_report(category, address="Rathausstraße 1")
    hidden = make_report(CategoryFactory(publish_mode=PublishMode.AFTER_REVIEW))
    items = requests_of(client.get(f"{BASE}requests.{fmt}"), fmt)
    assert [item["service_request_id"] for item in items] == [
        newer.ticket.number,
        older.ticket.number,
    ]
    assert hidden.ticket.number not in str(items)
    assert items[0]["address"] == "Rathausstraße 1"
    assert "address" not in items[1]


@pytest.mark.parametrize("fmt", FORMATS)
def test_request_object_fields(client, city, category, department, fmt):
    report = make_report(category, address="Rathausstraße 1")
    ticket = ticket_route(ticket_id=report.ticket_id)
    Ticket.objects.filter(pk=ticket.pk).update(due_date=datetime.date(2026, 12, 7))
    ReportPhoto.objects.create(
        report=report,
        image=ContentFile(b"x", name="verborgen.jpg"),
        width=1,
        height=1,
        is_hidden=True,
        position=0,
    )
    photo = ReportPhoto.objects.create(
        report=report, image=ContentFile(b"x", name="sichtbar.jpg"), width=1, height=1, position=1
    )
    (item,) = requests_of(client.get(f"{BASE}requests/{ticket.number}.{fmt}"), fmt)
    assert item["service_request_id"] == ticket.number
    assert item["status"] == "open"
    assert item["status_notes"] == "Ihr Anliegen ist eingegangen."
    assert item["service_name"] == "Straßenschaden"
    assert item["service_code"] == "strassenschaden"
    assert item["description"] == "Schlagloch vor Hausnummer 4"
    assert item["agency_responsible"] == "Tiefbauamt"
    assert item["service_notice"] == "eingegangen; Bearbeitungsziel: 07.12.2026"
    assert item["requested_datetime"] == timezone.localtime(report.created_at).isoformat(
        timespec="seconds"
    )
    assert item["expected_datetime"] == "2026-12-07T23:59:59+01:00"
    assert item["address"] == "Rathausstraße 1"
    assert (item["lat"], item["long"]) == ("51.441", "7.561")
    assert item["media_url"] == f"http://testserver/media/{photo.image.name}"
    for name in ("address_id", "zipcode", "account_id"):
        assert name not in item


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_closed_request_shows_its_closing_time_and_the_edited_text(client, city, category, fmt):
    report = make_report(category)
    Report.objects.filter(pk=report.pk).update(public_description="Schlagloch (bearbeitet)")
    closed_at = timezone.make_aware(datetime.datetime(2026, 7, 1, 12, 30))
    Ticket.objects.filter(pk=report.ticket_id).update(status=TicketStatus.DONE, closed_at=closed_at)
    TicketEvent.objects.create(
        ticket_id=report.ticket_id,
        kind="status",
        to_status=TicketStatus.DONE,
        public_message="Das Loch ist geflickt.",
        internal_note="Kolonne 3",
    )
    (item,) = requests_of(client.get(f"{BASE}requests/{report.ticket.number}.{fmt}"), fmt)
    assert item["status"] == "closed"
    assert item["updated_datetime"] == "2026-07-01T12:30:00+02:00"
    assert item["status_notes"] == "Das Loch ist geflickt."
    assert item["service_notice"] == "erledigt"
    assert item["description"] == "Schlagloch (bearbeitet)"
    assert "Kolonne" not in str(item)


def test_control_characters_do_not_break_the_xml(client, city, category):
    report = make_report(category, description="Glocke\x07 läutet\x1b nachts\r\nohne Pause")
    (item,) = requests_of(client.get(f"{BASE}requests/{report.ticket.number}.xml"), "xml")
    assert item["description"] == "Glocke läutet nachts\nohne Pause"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", ["requests", "request"])
def test_an_unknown_or_unpublished_request_is_404(client, city, category, fmt, path):
    hidden = make_report(CategoryFactory(publish_mode=PublishMode.AFTER_REVIEW))
    for number in ("2026-999999", hidden.ticket.number):
        response = client.get(f"{BASE}{path}/{number}.{fmt}")
        assert errors(response, fmt, 404) == ["Unbekannte service_request_id."]


def test_filters_status_service_code_and_ids(client, city, category):
    other = CategoryFactory(slug="beleuchtung", publish_mode=PublishMode.IMMEDIATE)
    hole = make_report(category)
    lamp = make_report(other)
    done = make_report(category)
    Ticket.objects.filter(pk=done.ticket_id).update(status=TicketStatus.DUPLICATE)

    def numbers(**params):
        items = requests_of(client.get(f"{BASE}requests.json", params), "json")
        return {item["service_request_id"] for item in items}

    assert numbers(status="open") == {hole.ticket.number, lamp.ticket.number}
    assert numbers(status="closed") == {done.ticket.number}
    assert numbers(status="open,closed") == numbers() == numbers(status="", service_code="")
    assert numbers(service_code="beleuchtung") == {lamp.ticket.number}
    assert numbers(service_code="beleuchtung,strassenschaden", status="closed") == {
        done.ticket.number
    }
    # service_request_id overrides everything else, even the date window
    Report.objects.filter(pk=hole.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    ids = f"{hole.ticket.number}, {lamp.ticket.number}"
    assert numbers(service_request_id=ids, status="closed", service_code="x") == {
        hole.ticket.number,
        lamp.ticket.number,
    }


def test_default_window_is_the_last_90_days_and_dates_narrow_it(client, city, category):
    recent = make_report(category)
    old = make_report(category)
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=91))

    def numbers(**params):
        items = requests_of(client.get(f"{BASE}requests.json", params), "json")
        return [item["service_request_id"] for item in items]

    assert numbers() == [recent.ticket.number]
    start = (timezone.now() - datetime.timedelta(days=120)).isoformat(timespec="seconds")
    end = (timezone.now() - datetime.timedelta(days=60)).isoformat(timespec="seconds")
    assert numbers(start_date=start, end_date=end) == [old.ticket.number]
    assert numbers(start_date=start) == [old.ticket.number]  # the 90 days from the start
    assert numbers(end_date=end) == [old.ticket.number]  # the 90 days up to the end
    # a client that does not encode the zone's "+" sends a space
    response = client.get(f"{BASE}requests.json?start_date={start}&end_date={end}")
    assert [item["service_request_id"] for item in json.loads(response.content)] == [
        old.ticket.number
    ]
    # any W3C offset, also one PostgreSQL refuses (it takes ±15:59): compared in UTC
    moment = timezone.now() - datetime.timedelta(days=120)
    far = moment.astimezone(datetime.timezone(datetime.timedelta(hours=16, minutes=35)))
    assert numbers(start_date=far.isoformat(timespec="seconds")) == [old.ticket.number]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "params, message",
    [
        ({"start_date": "gestern"}, "start_date ist kein gültiges Datum."),
        ({"end_date": "2026-02-30T00:00:00Z"}, "end_date ist kein gültiges Datum."),
        ({"start_date": "2026-11-01T00:00:00"}, "mit Zeitzone"),
        ({"start_date": "2026-11-01"}, "start_date ist kein gültiges Datum."),
        ({"end_date": "0001-01-01T00:00:00+01:00"}, "end_date ist kein gültiges Datum."),
        ({"end_date": "0001-01-02T00:00:00Z"}, "außerhalb des gültigen Bereichs"),
        (
            {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-02T00:00:00Z"},
            "höchstens 90 Tage",
        ),
        (
            {"start_date": "2026-04-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
            "end_date liegt vor start_date.",
        ),
        ({"status": "offen"}, "status kennt nur die Werte open und closed."),
        ({"page": "0"}, "page muss eine ganze Zahl von 1 bis 100000 sein."),
        ({"page": "10000000000000000000000"}, "page muss eine ganze Zahl"),
        ({"page_size": "1001"}, "page_size muss eine ganze Zahl von 1 bis 1000 sein."),
        ({"page_size": "-5"}, "page_size muss eine ganze Zahl"),
    ],
)
def test_request_list_errors(client, db, fmt, params, message):
    (description,) = errors(client.get(f"{BASE}requests.{fmt}", params), fmt, 400)
    assert message in description


def test_a_range_of_exactly_90_days_is_allowed(client, db):
    params = {"start_date": "2026-01-01T00:00:00+01:00", "end_date": "2026-04-01T00:00:00+02:00"}
    assert client.get(f"{BASE}requests.json", params).status_code == 200


def test_page_and_page_size_extension(client, city, category):
    reports = [make_report(category) for _ in range(5)]
    newest_first = [r.ticket.number for r in reversed(reports)]

    def numbers(**params):
        items = requests_of(client.get(f"{BASE}requests.xml", params), "xml")
        return [item["service_request_id"] for item in items]

    assert numbers(page_size="2") == newest_first[:2]
    assert numbers(page_size="2", page="3") == newest_first[4:]
    assert numbers(page_size="2", page="4") == []
    assert numbers(page="", page_size="") == newest_first


# --- privacy and volume ---------------------------------------------------------------------------
def test_no_get_response_shows_the_reporter(post, client, city, category):
    post(service_code="strassenschaden", description="Bank beschädigt", **INSIDE, **REPORTER)
    make_report(category, name="Max Meldemann", email="max.meldemann@example.org")
    numbers = [r.ticket.number for r in Report.objects.select_related("ticket")]
    paths = ["requests.xml", "requests.json"] + [
        f"requests/{number}.{fmt}" for number in numbers for fmt in FORMATS
    ]
    for path in paths:
        response = client.get(BASE + path)
        assert response.status_code == 200
        body = response.content.decode()
        for secret in ("Meldewitz", "erika.meldewitz", "Meldemann", "max.meldemann", "5550123"):
            assert secret not in body, (path, secret)


def test_request_list_needs_the_same_queries_for_500_reports(client, city, category):
    def queries_for_list(expected: int) -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(f"{BASE}requests.json", {"page_size": "1000"})
        assert len(json.loads(response.content)) == expected
        return len(context)

    make_report(category)
    few = queries_for_list(1)
    for _ in range(499):
        make_report(category)
    assert queries_for_list(500) == few <= 2


def test_a_device_reporting_the_same_fault_again_supports_its_first_report(
    post, city, category, api_client
):
    api_client.is_machine = True
    api_client.save()
    first = json.loads(post(service_code="strassenschaden", **INSIDE).content)[0]
    nearby = {"lat": "51.441100", "long": "7.561000"}  # about 11 m away
    again = json.loads(post(service_code="strassenschaden", **nearby).content)[0]
    assert again["service_request_id"] == first["service_request_id"]
    assert Report.objects.count() == 1 and Ticket.objects.count() == 1
    assert Report.objects.get().support_count == 1
    far = {"lat": "51.445000", "long": "7.561000"}  # about 440 m away: another light
    other = json.loads(post(service_code="strassenschaden", **far).content)[0]
    assert other["service_request_id"] != first["service_request_id"]


def _jpeg_with_gps() -> bytes:
    import io

    from PIL import Image

    img = Image.new("RGB", (320, 240), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Spionkamera"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 26.0, 30.0)
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the input does carry GPS
    return data


def test_media_upload_stores_cleaned_photos(client, api_key, city, category,
                                            django_capture_on_commit_callbacks):  # fmt: skip
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{BASE}requests.json",
            {
                "api_key": api_key,
                "service_code": "strassenschaden",
                "description": "Loch mit Foto",
                **INSIDE,
                "media": SimpleUploadedFile("handy.jpg", _jpeg_with_gps(), "image/jpeg"),
            },
        )
    assert response.status_code == 200, response.content
    photo = Report.objects.get().photos.get()
    with photo.image.open("rb") as stored:
        img = Image.open(io.BytesIO(stored.read()))
        assert not img.getexif() and "exif" not in img.info
    number = json.loads(response.content)[0]["service_request_id"]
    detail = json.loads(client.get(f"{BASE}requests/{number}.json").content)[0]
    assert detail["media_url"].endswith(photo.image.url)


def test_media_that_is_no_photo_is_refused_and_nothing_stored(client, api_key, city, category):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"{BASE}requests.json",
        {
            "api_key": api_key,
            "service_code": "strassenschaden",
            "description": "Loch",
            **INSIDE,
            "media": SimpleUploadedFile("x.jpg", b"%PDF-1.4 nicht ein Foto", "image/jpeg"),
        },
    )
    assert response.status_code == 400
    assert "kein Foto" in json.loads(response.content)[0]["description"]
    assert not Report.objects.exists() and not Ticket.objects.exists()


def test_media_brackets_as_in_the_v2_1_draft_store_cleaned_photos(client, api_key, city, category):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    def upload(name):
        return SimpleUploadedFile(name, _jpeg_with_gps(), "image/jpeg")

    data = {"api_key": api_key, "service_code": "strassenschaden", "description": "Loch", **INSIDE}
    response = client.post(
        f"{BASE}requests.json", {**data, "media[]": [upload("a.jpg"), upload("b.jpg")]}
    )
    assert response.status_code == 200, response.content
    photos = list(Report.objects.get().photos.all())
    assert len(photos) == 2
    for photo in photos:
        with photo.image.open("rb") as stored:
            img = Image.open(io.BytesIO(stored.read()))
            assert not img.getexif() and "exif" not in img.info
    number = json.loads(response.content)[0]["service_request_id"]
    detail = json.loads(client.get(f"{BASE}requests/{number}.json").content)[0]
    assert detail["media_url"].endswith(photos[0].image.url)

    # both names together count against the same limit of three
    too_many = {
        **data,
        "media": [upload("c.jpg"), upload("d.jpg")],
        "media[]": [upload("e.jpg"), upload("f.jpg")],
    }
    response = client.post(f"{BASE}requests.json", too_many)
    assert response.status_code == 400
    assert "Höchstens 3 Fotos" in json.loads(response.content)[0]["description"]
    assert Report.objects.count() == 1


def test_status_notes_are_never_older_than_the_status(client, city, category):
    from portal.tickets.services import ticket_accept, ticket_change_status
    from tests.factories import StaffUserFactory

    report = make_report(category)
    ticket = ticket_route(ticket_id=report.ticket_id)
    clerk = StaffUserFactory()
    ticket = ticket_accept(ticket=ticket, actor=clerk)
    url = f"{BASE}requests/{ticket.number}"
    for fmt in FORMATS:
        (item,) = requests_of(client.get(f"{url}.{fmt}"), fmt)
        assert item["status_notes"] == "Ihr Anliegen wird geprüft."

    ticket = ticket_change_status(ticket=ticket, actor=clerk, status=TicketStatus.DONE)
    for fmt in FORMATS:
        (item,) = requests_of(client.get(f"{url}.{fmt}"), fmt)
        assert item["status"] == "closed"
        assert "status_notes" not in item  # the closing said nothing; the old text is gone

    ticket = ticket_change_status(
        ticket=ticket, actor=clerk, status=TicketStatus.IN_REVIEW, public_message="Noch einmal."
    )
    ticket_change_status(
        ticket=ticket, actor=clerk, status=TicketStatus.DONE, public_message="Fertig."
    )
    for fmt in FORMATS:
        (item,) = requests_of(client.get(f"{url}.{fmt}"), fmt)
        assert item["status_notes"] == "Fertig."


# --- Zusatzfragen: service attributes -------------------------------------------------------------
@pytest.fixture
def questions(category):
    from tests.services.reports.conftest import add_questions

    return add_questions(category)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_category_with_questions_has_metadata(client, category, questions, fmt):
    CategoryFactory(slug="graffiti", name="Graffiti")
    response = client.get(f"{BASE}services.{fmt}")
    body = parse(response, fmt, "services", "services")
    if fmt == "json":
        metadata = {service["service_code"]: service["metadata"] for service in body}
        assert metadata == {"strassenschaden": True, "graffiti": False}
    else:
        metadata = {s.findtext("service_code"): s.findtext("metadata") for s in body}
        assert metadata == {"strassenschaden": "true", "graffiti": "false"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_lists_the_questions(client, category, questions, fmt):
    response = client.get(f"{BASE}services/strassenschaden.{fmt}")
    assert response.status_code == 200
    body = parse(response, fmt, "service_definition", "service_definition")
    if fmt == "json":
        attributes = body["attributes"]
    else:
        assert body.findtext("service_code") == "strassenschaden"
        assert [child.tag for child in body.find("attributes")] == ["attribute"] * 6
        attributes = []
        for element in body.find("attributes"):
            item = flat(element)
            values = element.find("values")
            if values is not None:
                assert [child.tag for child in values] == ["value"] * len(values)
                item["values"] = [flat(value) for value in values]
            attributes.append(item)
        # back to JSON types, so that both formats are checked against one expectation
        for item in attributes:
            for key in ("variable", "required"):
                item[key] = item[key] == "true"
            item["order"] = int(item["order"])
    assert [a["code"] for a in attributes] == [
        "leuchtennummer",
        "schaden",
        "abfall",
        "anzahl",
        "seit",
        "hinweis",
    ]
    assert [a["order"] for a in attributes] == [1, 2, 3, 4, 5, 6]
    assert all(a["variable"] is True for a in attributes)
    first, second = attributes[0], attributes[1]
    assert first == {
        "variable": True, "code": "leuchtennummer", "datatype": "string", "required": False,
        "datatype_description": "Am Mast", "order": 1, "description": "Leuchtennummer",
    }  # fmt: skip
    assert second["datatype"] == "singlevaluelist" and second["required"] is True
    assert second["values"] == [
        {"key": "dunkel", "name": "Leuchte dunkel"},
        {"key": "flackert", "name": "Leuchte flackert"},
        {"key": "tagsueber", "name": "Leuchte brennt tagsüber"},
    ]
    assert attributes[2]["datatype"] == "multivaluelist" and len(attributes[2]["values"]) == 3
    assert "values" not in attributes[3]


def test_service_definition_in_few_queries(
    client, category, questions, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        assert client.get(f"{BASE}services/strassenschaden.json").status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_with_attributes_stores_the_answers(post, city, category, questions, fmt):
    response = post(
        fmt,
        **{
            "service_code": "strassenschaden", "description": "Laterne flackert", **INSIDE,
            "attribute[schaden]": "flackert", "attribute[leuchtennummer]": "SW-12",
            "attribute[anzahl]": "3", "attribute[seit]": "2026-11-20T18:30:00+01:00",
            "attribute[hinweis]": "",  # empty = absent
            "attribute[fixmystreet_id]": "4711",  # a client's own: ignored
        },
    )  # fmt: skip
    assert response.status_code == 200, response.content
    parse(response, fmt, "request_created", "service_requests")
    assert Report.objects.get().attributes == {
        "leuchtennummer": "SW-12", "schaden": "flackert", "anzahl": "3",
        "seit": "2026-11-20T18:30:00+01:00",
    }  # fmt: skip


def test_post_with_a_multivaluelist_uses_brackets(client, api_key, city, category, questions):
    body = urlencode(
        [
            ("api_key", api_key), ("service_code", "strassenschaden"), ("description", "Müll"),
            ("lat", INSIDE["lat"]), ("long", INSIDE["long"]), ("attribute[schaden]", "dunkel"),
            ("attribute[abfall][]", "elektro"), ("attribute[abfall][]", "sperrmuell"),
        ]
    )  # fmt: skip
    response = client.post(f"{BASE}requests.json", body, content_type=FORM)
    assert response.status_code == 200, response.content
    assert Report.objects.get().attributes == {
        "schaden": "dunkel",
        "abfall": ["sperrmuell", "elektro"],
    }


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "answers, expected",
    [
        ({}, ["attribute[schaden]: Bitte beantworten Sie die Frage „Art des Schadens“."]),
        (
            {"attribute[schaden]": "explodiert"},
            ["attribute[schaden]: „explodiert“ ist keine der möglichen Antworten."],
        ),
        (
            {"attribute[schaden]": "dunkel", "attribute[abfall][]": "gold"},
            ["attribute[abfall]: „gold“ ist keine der möglichen Antworten."],
        ),
        (
            {"attribute[anzahl]": "viele", "attribute[seit]": "gestern"},
            [
                "attribute[schaden]: Bitte beantworten Sie die Frage „Art des Schadens“.",
                "attribute[anzahl]: Bitte geben Sie eine Zahl an, zum Beispiel 12 oder 3,5.",
                "attribute[seit]: Bitte geben Sie Datum und Uhrzeit an, zum Beispiel "
                "23.11.2026 18:30.",
            ],
        ),
    ],
)
def test_post_with_wrong_or_missing_attributes_is_400(
    post, city, category, questions, fmt, answers, expected
):
    response = post(fmt, service_code="strassenschaden", description="Laterne", **INSIDE, **answers)
    assert errors(response, fmt, 400) == expected
    assert not Report.objects.exists()

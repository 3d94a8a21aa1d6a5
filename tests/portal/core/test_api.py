"""The REST API's common ground: a malformed or huge query value is a 400 in the one error shape
with a German message, never a 500; no page is longer than `max_limit`; unknown addresses and
throttling answer in the same shape; the schema documents all of it."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from portal.tickets.constants import PublishMode
from services.reports.services import report_submit
from tests.factories import CategoryFactory, DepartmentFactory, DistrictFactory, open_ticket

pytestmark = pytest.mark.django_db

WHOLE_NUMBER_FROM_1 = "Bitte geben Sie eine ganze Zahl ab 1 an."
WHOLE_NUMBER_FROM_0 = "Bitte geben Sie eine ganze Zahl ab 0 an."
BBOX_FORMAT = "Erwartet: west,süd,ost,nord in Grad (WGS 84)."
BBOX_RANGE = "Die Koordinaten liegen außerhalb des gültigen Bereichs."
ID = "Bitte geben Sie als Id eine ganze Zahl ab 1 an."
ID_TOO_LARGE = "Eine so große Id gibt es nicht."


@pytest.fixture
def rows():
    """A row in each list, so that every query actually reaches the database."""
    DistrictFactory()
    DepartmentFactory()
    open_ticket(category=CategoryFactory())


MALFORMED = [
    ("/api/v1/districts/", {"limit": "99999999999999999999", "offset": "-1"}, "offset",
     WHOLE_NUMBER_FROM_0),
    ("/api/v1/districts/", {"offset": "1e3"}, "offset", WHOLE_NUMBER_FROM_0),
    ("/api/v1/districts/", {"offset": "9" * 5000}, None, None),  # huge but whole: an empty page
    ("/api/v1/departments/", {"limit": "0"}, "limit", WHOLE_NUMBER_FROM_1),
    ("/api/v1/departments/", {"limit": "abc"}, "limit", WHOLE_NUMBER_FROM_1),
    ("/api/v1/departments/", {"limit": "-5"}, "limit", WHOLE_NUMBER_FROM_1),
    ("/api/v1/services/", {"limit": "²"}, "limit", WHOLE_NUMBER_FROM_1),
    ("/api/v1/ideas/", {"district": "-4.2e+65"}, "district", ID),
    ("/api/v1/ideas/", {"field_of_action": "1.5"}, "field_of_action", ID),
    ("/api/v1/ideas/", {"district": "0"}, "district", ID),
    ("/api/v1/ideas/", {"district": "9223372036854775808"}, "district", ID_TOO_LARGE),
    ("/api/v1/projects/", {"district": "-4.2e+65"}, "district", ID),
    ("/api/v1/projects/", {"field_of_action": "99999999999999999999"}, "field_of_action",
     ID_TOO_LARGE),
    ("/api/v1/projects/", {"q": "x" * 101}, "q", "Bitte geben Sie höchstens 100 Zeichen ein."),
    ("/api/v1/services/", {"topic": "ä b"}, "topic",
     "Ein Kurzname besteht nur aus Buchstaben, Ziffern, - und _."),
    ("/api/v1/reports/", {"bbox": "nan,nan,nan,nan"}, "bbox", BBOX_RANGE),
    ("/api/v1/reports/", {"bbox": "-inf,-90,Infinity,90"}, "bbox", BBOX_RANGE),
    ("/api/v1/reports/", {"bbox": "7,51,1e999999,52"}, "bbox", BBOX_RANGE),
    ("/api/v1/reports/", {"bbox": "7,51,8"}, "bbox", BBOX_FORMAT),
    ("/api/v1/reports/", {"bbox": "7;51;8;52"}, "bbox", BBOX_FORMAT),
]  # fmt: skip


@pytest.mark.parametrize(("url", "params", "field", "message"), MALFORMED)
def test_malformed_query_values_are_a_400_in_the_error_shape(
    client, rows, url, params, field, message
):
    response = client.get(url, params)
    if field is None:
        assert response.status_code == 200 and response.json()["results"] == []
        return
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "Die Anfrage enthält ungültige Werte.",
        "fields": {field: [message]},
    }


def test_a_limit_above_max_limit_is_cut_to_it(client):
    DepartmentFactory.create_batch(205)
    for limit in ("500", "99999999999999999999"):
        body = client.get("/api/v1/departments/", {"limit": limit}).json()
        assert body["count"] == 205 and len(body["results"]) == 200
        assert "limit=200&offset=200" in body["next"]
    body = client.get("/api/v1/departments/").json()  # the default stays 50
    assert len(body["results"]) == 50
    last = client.get("/api/v1/departments/", {"limit": "200", "offset": "200"}).json()
    assert len(last["results"]) == 5 and last["next"] is None


def test_the_map_reports_keep_their_larger_pages(client):
    report_submit(
        category=CategoryFactory(publish_mode=PublishMode.IMMEDIATE), description="Laterne aus",
        latitude=Decimal("51.44"), longitude=Decimal("7.56"),
    )  # fmt: skip
    response = client.get("/api/v1/reports/", {"limit": "99999999999999999999", "offset": "1"})
    assert response.status_code == 200
    assert "limit=500" in response.json()["previous"]  # 500 for the map, not 200


def test_unknown_api_address_is_a_json_404(client):
    for url in (
        "/api/v1/ideas/abc/",
        f"/api/v1/ideas/{'9' * 5000}/",
        "/api/v1/projects/¹/",
        "/api/v1/services/¹/",
        "/api/v1/gibt-es-nicht/",
        "/api/v1/districts/1.5/",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Nicht gefunden.", "fields": {}}
    assert client.get("/api/v1/departments/99999999999999999999/").json() == {
        "detail": "Nicht gefunden.",
        "fields": {},
    }
    # without the slash, Django still redirects to the address with it
    assert client.get("/api/v1/districts")["Location"] == "/api/v1/districts/"


def test_forbidden_in_the_error_shape(client):
    response = client.get("/api/v1/tickets/")
    assert response.status_code == 403
    assert set(response.json()) == {"detail", "fields"}
    assert response.json()["fields"] == {}


def test_throttling_answers_429_in_the_error_shape(client, settings, time_machine):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # answers from the page cache are not counted
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.API_RATES, "read": "2/min"},
    }
    # 10:00:05 and no clock running: the window ends in 55 seconds
    time_machine.move_to(
        datetime.datetime(2026, 5, 4, 10, 0, 5, tzinfo=timezone.get_current_timezone()),
        tick=False,
    )
    assert client.get("/api/v1/districts/").status_code == 200
    assert client.get("/api/v1/districts/").status_code == 200
    response = client.get("/api/v1/districts/")
    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert seconds == 55
    assert response.json() == {
        "detail": f"Zu viele Anfragen. Bitte versuchen Sie es in {seconds} Sekunden erneut.",
        "fields": {},
    }


# --- the schema ------------------------------------------------------------------------------
@pytest.fixture
def schema(client):
    return client.get("/api/schema/", {"format": "json"}).json()


def test_schema_documents_the_errors(schema):
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail", "fields"]
    error = {"$ref": "#/components/schemas/Error"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            expected = {"200", "400", "429"}
            if "{" in path:
                expected.add("404")
            if path.startswith("/api/v1/tickets/"):
                expected.add("403")  # staff only
            assert set(operation["responses"]) == expected, (method, path)
            for code in expected - {"200"}:
                content = operation["responses"][code]["content"]
                assert content["application/json"]["schema"] == error


def test_schema_pagination_and_id_filters_are_integers(schema):
    def parameters(path):
        return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}

    for path in ("/api/v1/districts/", "/api/v1/ideas/", "/api/v1/reports/", "/api/v1/tickets/"):
        params = parameters(path)
        assert params["limit"]["schema"] == {"type": "integer", "minimum": 1}
        assert params["offset"]["schema"] == {"type": "integer", "minimum": 0}
    assert "höchstens 200" in parameters("/api/v1/ideas/")["limit"]["description"]
    assert "höchstens 500" in parameters("/api/v1/reports/")["limit"]["description"]
    for path, names in {
        "/api/v1/ideas/": ["district", "field_of_action"],
        "/api/v1/projects/": ["district", "field_of_action"],
        "/api/v1/tickets/": ["category", "district", "department"],
    }.items():
        for name in names:
            assert parameters(path)[name]["schema"]["type"] == "integer", (path, name)
            assert parameters(path)[name]["description"].startswith("Id ")


def test_schema_is_honest_about_missing_values(schema):
    components = schema["components"]["schemas"]
    assert components["District"]["properties"]["parent"]["nullable"] is True
    assert components["ServiceDetail"]["properties"]["external_url"]["nullable"] is True
    assert components["Event"]["properties"]["livestream_url"]["nullable"] is True


def test_open311_has_its_own_specification(schema):
    assert all(path.startswith("/api/v1/") for path in schema["paths"])

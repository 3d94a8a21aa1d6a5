"""`/api/v1/projects/`: public, read-only, filtered, with phases and counters."""

from datetime import timedelta

import pytest
import time_machine

from participation.projects.constants import EventFormat, Intensity, Module, ProjectStatus
from participation.projects.models import ProjectEvent, ProjectStatistics, ProjectUpdate
from tests.factories import DepartmentFactory, DistrictFactory, UserFactory
from tests.participation.factories import field_of_action, many_projects, phase, project

pytestmark = pytest.mark.django_db

URL = "/api/v1/projects/"


@pytest.fixture
def projects(vorhabenliste):
    ergste = DistrictFactory(name="Ergste")
    mobility = field_of_action("ZM 02", "Mobilität")
    radweg = project(
        title="Radweg an der Ruhr",
        slug="radweg",
        districts=[ergste],
        field_of_action=mobility,
        cities="Schwerte, Dortmund",
        department=DepartmentFactory(name="Tiefbauamt"),
        contact="Max Mustermann, 0170 1234567",
        latitude="51.4281",
        longitude="7.5162",
        sdgs=[11, 13],
        body="<p>Ein Radweg.</p>",
        result="<p>Gebaut.</p>",
    )
    running = phase(radweg, modules=[Module.IDEAS, Module.COMMENTS], name="Ideensammlung")
    ProjectStatistics.objects.create(project=radweg, contributions_online=4, reactions=9)
    ProjectEvent.objects.create(
        project=radweg,
        title="Radtour",
        starts_at=running.starts_at,
        format=EventFormat.ONLINE,
        livestream_url="https://stream.example/rad",
    )
    ProjectEvent.objects.create(
        project=radweg, title="Sprechstunde", starts_at=running.ends_at, format=EventFormat.ON_SITE
    )
    ProjectUpdate.objects.create(project=radweg, title="Gestartet", text="Es geht los.")
    project(title="Bäume", slug="baeume", status=ProjectStatus.DONE)
    project(title="Entwurf", slug="entwurf", live=False)
    return {"radweg": radweg, "ergste": ergste, "mobility": mobility, "phase": running}


def test_list_is_public_and_read_only(client, projects):
    response = client.get(URL)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert [p["title"] for p in data["results"]] == ["Bäume", "Radweg an der Ruhr"]
    assert client.post(URL, {"title": "Neu"}).status_code in (403, 405)
    client.force_login(UserFactory())
    assert client.post(URL, {"title": "Neu"}, content_type="application/json").status_code == 405


def test_list_item_has_phases_and_counters(client, projects):
    item = next(p for p in client.get(URL).json()["results"] if p["slug"] == "radweg")
    assert item["status"] == "in_planung"
    assert item["status_display"] == "in Planung"
    assert item["field_of_action"] == {
        "id": projects["mobility"].pk,
        "code": "ZM 02",
        "name": "Mobilität",
    }
    assert item["cities"] == ["Schwerte", "Dortmund"]
    assert item["districts"] == [{"id": projects["ergste"].pk, "name": "Ergste"}]
    assert item["department"]["name"] == "Tiefbauamt"
    assert item["latitude"] == "51.428100"
    assert item["sdgs"] == [11, 13]
    assert item["participation_open"] is True
    assert item["url"].endswith("/vorhabenliste/radweg/")
    [phase] = item["phases"]
    assert phase["name"] == "Ideensammlung"
    assert phase["intensity"] == Intensity.CONSULTATION
    assert phase["modules"] == ["ideen", "kommentare"]
    assert phase["is_running"] is True
    assert phase["input_use"].startswith("Wir fragen Sie nach Ihrer Meinung.")
    assert item["statistics"] == {
        "participants_online": 0,
        "participants_offline": 0,
        "contributions_online": 4,
        "contributions_offline": 0,
        "reactions": 9,
    }
    assert "description" not in item


def test_no_personal_data(client, projects):
    for url in (URL, URL + "radweg/"):
        body = client.get(url).content.decode()
        assert "Mustermann" not in body
        assert "0170" not in body


@pytest.mark.parametrize("key", ["radweg", "id"])
def test_detail_by_slug_or_id(client, projects, key):
    key = projects["radweg"].pk if key == "id" else key
    data = client.get(f"{URL}{key}/").json()
    assert data["title"] == "Radweg an der Ruhr"
    assert data["description"] == "<p>Ein Radweg.</p>"
    assert data["result"] == "<p>Gebaut.</p>"
    assert [u["title"] for u in data["updates"]] == ["Gestartet"]
    online, onsite = data["events"]
    assert online["format"] == "online"
    assert online["livestream_url"] == "https://stream.example/rad"
    assert onsite["livestream_url"] is None  # no stream: null, not "" (schema: format uri)


def test_unpublished_and_unknown_are_404(client, projects):
    assert client.get(URL + "entwurf/").status_code == 404
    assert client.get(URL + "gibt-es-nicht/").status_code == 404
    assert client.get(URL + "999999/").status_code == 404


def test_filters(client, projects):
    def slugs(**params):
        return [p["slug"] for p in client.get(URL, params).json()["results"]]

    assert slugs(status="abgeschlossen") == ["baeume"]
    assert slugs(district=projects["ergste"].pk) == ["radweg"]
    assert slugs(field_of_action=projects["mobility"].pk) == ["radweg"]
    assert slugs(open_participation="true") == ["radweg"]
    assert slugs(open_participation="false") == ["baeume"]
    assert slugs(q="ruhr") == ["radweg"]
    with time_machine.travel(projects["phase"].ends_at + timedelta(seconds=1)):
        assert slugs(open_participation="true") == []


def test_wrong_filter_values_are_a_400(client, projects):
    response = client.get(URL, {"status": "erfunden"})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["status"]
    assert client.get(URL, {"district": "abc"}).status_code == 400


def test_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/projects/" in schema["paths"]
    assert "/api/v1/projects/{id_or_slug}/" in schema["paths"]
    assert schema["components"]["schemas"]["ProjectStatusEnum"]["enum"] == [
        "in_planung",
        "in_umsetzung",
        "teilweise",
        "abgeschlossen",
    ]


@pytest.mark.slow
def test_list_of_1000_in_constant_queries(client, vorhabenliste, django_assert_max_num_queries):
    pages = many_projects(
        1000,
        districts=[DistrictFactory(), DistrictFactory()],
        field_of_action=field_of_action(),
        department=DepartmentFactory(),
    )
    client.get(URL)
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"limit": 200})
    data = response.json()
    assert data["count"] == 1000
    assert len(data["results"]) == 200
    # every other project has a phase; which of them come first depends on their titles' order
    with_phase = {page.pk for page in pages[::2]}
    assert {p["id"] for p in data["results"] if p["phases"]} == {
        p["id"] for p in data["results"] if p["id"] in with_phase
    }
    assert any(p["phases"] for p in data["results"])

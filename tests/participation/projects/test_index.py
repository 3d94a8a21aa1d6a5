"""The Vorhabenliste: filters, paging, the map's data and its equivalent list."""

import re
from datetime import timedelta

import pytest
import time_machine

from participation.projects.constants import Intensity, Module, ProjectStatus
from tests.factories import DepartmentFactory, DistrictFactory
from tests.participation.factories import field_of_action, many_projects, phase, project

# query counts measure the rendering of what is asked for twice
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_parts_off")]

URL = "/vorhabenliste/"


def titles(response) -> list[str]:
    """The project titles of the list, in order."""
    html = response.content.decode()
    return re.findall(r'<h3 class="card__title"[^>]*><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def city(vorhabenliste):
    mitte = DistrictFactory(name="Schwerte-Mitte")
    ergste = DistrictFactory(name="Ergste")
    mobility = field_of_action("ZM 02", "Mobilität")
    climate = field_of_action("ZM 03", "Klimaschutz")
    radweg = project(
        title="Radweg an der Ruhr",
        status=ProjectStatus.PLANNING,
        districts=[ergste],
        field_of_action=mobility,
        location="Ruhrstraße",
        latitude="51.4281",
        longitude="7.5162",
    )
    phase(radweg, modules=[Module.IDEAS], intensity=Intensity.CONSULTATION)
    baeume = project(
        title="Bäume für die Innenstadt",
        status=ProjectStatus.IMPLEMENTING,
        districts=[mitte],
        field_of_action=climate,
    )
    info = project(
        title="Carsharing am Bahnhof",
        status=ProjectStatus.DONE,
        districts=[mitte, ergste],
        field_of_action=mobility,
        latitude="51.4419",
        longitude="7.5594",
    )
    # a running phase without modules is information only: nobody can take part
    phase(info, modules=[], intensity=Intensity.INFORMATION)
    project(title="Entwurf, noch nicht veröffentlicht", live=False)
    return {
        "mitte": mitte,
        "ergste": ergste,
        "mobility": mobility,
        "climate": climate,
        "radweg": radweg,
        "baeume": baeume,
        "info": info,
    }


def test_list_shows_published_projects_a_to_z(client, city):
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == [
        "Bäume für die Innenstadt",
        "Carsharing am Bahnhof",
        "Radweg an der Ruhr",
    ]
    html = response.content.decode()
    assert "Alle 3 Vorhaben" in html
    assert "noch nicht veröffentlicht" not in html


def test_card_shows_status_field_districts_and_open_participation(client, city):
    html = client.get(URL).content.decode()
    card = html[html.index("Radweg an der Ruhr") :]
    card = card[: card.index("</article>")]
    assert "in Planung" in card
    assert "Beteiligung läuft" in card
    assert "Mobilität" in card
    assert "ZM 02" not in card  # the administration's code is no text for citizens
    assert "Ergste" in card
    assert "Ruhrstraße" in card


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"stand": "in_umsetzung"}, ["Bäume für die Innenstadt"]),
        ({"stand": "abgeschlossen"}, ["Carsharing am Bahnhof"]),
        ({"q": "ruhr"}, ["Radweg an der Ruhr"]),
        ({"beteiligung": "on"}, ["Radweg an der Ruhr"]),
    ],
)
def test_filters(client, city, params, expected):
    response = client.get(URL, params)
    assert titles(response) == expected
    assert "Alle Filter zurücksetzen" in response.content.decode()


def test_filter_by_district_and_field_of_action(client, city):
    assert titles(client.get(URL, {"stadtteil": city["ergste"].pk})) == [
        "Carsharing am Bahnhof",
        "Radweg an der Ruhr",
    ]
    assert titles(client.get(URL, {"handlungsfeld": city["climate"].pk})) == [
        "Bäume für die Innenstadt"
    ]
    both = {"stadtteil": city["mitte"].pk, "handlungsfeld": city["mobility"].pk}
    assert titles(client.get(URL, both)) == ["Carsharing am Bahnhof"]


def test_unknown_filter_values_are_ignored(client, city):
    response = client.get(URL, {"stand": "erfunden", "stadtteil": "abc", "handlungsfeld": "999"})
    assert response.status_code == 200
    assert len(titles(response)) == 3


def test_filter_form_offers_districts_and_fields_of_action(client, city):
    html = client.get(URL).content.decode()
    assert f'<option value="{city["ergste"].pk}">Ergste</option>' in html
    assert f'<option value="{city["mobility"].pk}">Mobilität</option>' in html
    assert '<label class="checkbox__label" for="id_beteiligung">' in html


def test_open_participation_follows_the_phase_dates(client, city):
    radweg_phase = city["radweg"].phases.get()
    with time_machine.travel(radweg_phase.ends_at + timedelta(minutes=1)):
        response = client.get(URL, {"beteiligung": "on"})
        assert titles(response) == []
        assert "Keine Vorhaben gefunden" in response.content.decode()


def test_empty_list(client, vorhabenliste):
    response = client.get(URL)
    assert "Noch sind keine Vorhaben veröffentlicht." in response.content.decode()
    assert "export/csv" not in response.content.decode()


def test_paging_keeps_the_filters(client, vorhabenliste):
    mitte = DistrictFactory(name="Schwerte-Mitte")
    for number in range(25):
        project(title=f"Vorhaben {number:02d}", districts=[mitte])
    project(title="Anderswo")
    first = client.get(URL, {"stadtteil": mitte.pk})
    assert len(titles(first)) == 20
    html = first.content.decode()
    assert f"?stadtteil={mitte.pk}&amp;seite=2" in html
    second = client.get(URL, {"stadtteil": mitte.pk, "seite": 2})
    assert titles(second) == [f"Vorhaben {n}" for n in range(20, 25)]


def test_map_data_are_the_filtered_projects_with_a_place(client, city):
    data = client.get(URL + "karte/").json()
    assert data["type"] == "FeatureCollection"
    by_title = {f["properties"]["title"]: f for f in data["features"]}
    assert set(by_title) == {"Radweg an der Ruhr", "Carsharing am Bahnhof"}
    radweg = by_title["Radweg an der Ruhr"]
    assert radweg["geometry"] == {"type": "Point", "coordinates": [7.5162, 51.4281]}
    assert radweg["properties"]["url"] == city["radweg"].url
    assert radweg["properties"]["participation_open"] is True
    assert radweg["properties"]["status_label"] == "in Planung"

    filtered = client.get(URL + "karte/", {"stand": "abgeschlossen"}).json()
    assert [f["properties"]["title"] for f in filtered["features"]] == ["Carsharing am Bahnhof"]


@pytest.mark.parametrize("params", [{}, {"stadtteil": "mitte"}, {"beteiligung": "on"}])
def test_every_marker_is_in_the_list_below_the_map(client, city, params):
    """The list is the equivalent of the map: each marker's project is listed, with its link."""
    params = {k: (city[v].pk if v in city else v) for k, v in params.items()}
    page = client.get(URL, params).content.decode()
    features = client.get(URL + "karte/", params).json()["features"]
    listed = set(re.findall(r'<h3 class="card__title"[^>]*><a href="([^"]+)">', page))
    assert {f["properties"]["url"] for f in features} <= listed
    assert 'data-url="/vorhabenliste/karte/' in page


def test_map_is_hidden_without_javascript_and_says_the_list_is_complete(client, city):
    html = client.get(URL, {"stand": "abgeschlossen"}).content.decode()
    assert "data-project-map-box hidden" in html
    assert 'data-url="/vorhabenliste/karte/?stand=abgeschlossen"' in html
    assert "Alle Vorhaben finden Sie auch in der Liste unten." in html
    assert "<script>" not in html  # CSP: settings reach the map as data- attributes


@pytest.mark.slow
def test_list_and_map_in_constant_queries(client, vorhabenliste, django_assert_max_num_queries):
    districts = [DistrictFactory(), DistrictFactory()]
    many_projects(
        1000,
        districts=districts,
        field_of_action=field_of_action(),
        department=DepartmentFactory(),
    )
    client.get(URL)  # warm the site root cache as in production
    with django_assert_max_num_queries(15):
        response = client.get(URL)
    assert len(titles(response)) == 20
    assert "Alle 1000 Vorhaben" in response.content.decode()
    with django_assert_max_num_queries(15):
        response = client.get(URL, {"beteiligung": "on", "seite": 3})
    assert len(titles(response)) == 20
    with django_assert_max_num_queries(10):
        data = client.get(URL + "karte/").json()
    assert len(data["features"]) == 1000

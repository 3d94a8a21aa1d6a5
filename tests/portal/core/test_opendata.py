"""Open data: the files, their formats, and the DCAT-AP.de catalogue that lists every one of
them, read as RDF; other web sites may download them, not write."""

import json
from decimal import Decimal

import pytest
from rdflib import Graph, URIRef
from rdflib import namespace as ns

from portal.core.opendata.services import opendata_manifest, opendata_publish
from services.reports.models import Report
from services.reports.services import report_submit
from tests.factories import CategoryFactory, DistrictFactory, square

pytestmark = pytest.mark.django_db

LICENCE = URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")


@pytest.fixture(autouse=True)
def _own_folder(settings, tmp_path):
    settings.OPENDATA_ROOT = tmp_path / "offene-daten"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def published(db):
    DistrictFactory(name="Ergste", area=square(7.5, 51.4, 0.1))
    category = CategoryFactory(name="Schlagloch", slug="loch", publish_mode="sofort")
    report_submit(
        category=category, description="Loch vor Haus 3", latitude=Decimal("51.41"),
        longitude=Decimal("7.51"), name="Erika Muster", email="erika@example.org",
    )  # fmt: skip
    return opendata_publish()


def test_the_catalogue_is_rdf_and_lists_every_file(client, published):
    manifest = opendata_manifest()
    names = {item["name"] for entry in manifest["datasets"] for item in entry["files"]}
    assert {"maengelmeldungen.csv", "maengelmeldungen.geojson", "stadtteile.geojson"} <= names
    assert {"ideen.csv", "vorhaben.geojson", "zahlen.csv"} <= names
    for fmt, content_type, parser in (
        ("rdf", "application/rdf+xml; charset=utf-8", "xml"),
        ("ttl", "text/turtle; charset=utf-8", "turtle"),
    ):
        response = client.get(f"/offene-daten/katalog.{fmt}")
        assert response["Content-Type"] == content_type
        graph = Graph().parse(data=response.content, format=parser)
        catalogues = list(graph.subjects(ns.RDF.type, ns.DCAT.Catalog))
        assert len(catalogues) == 1
        datasets = set(graph.objects(catalogues[0], ns.DCAT.dataset))
        assert len(datasets) == len(manifest["datasets"])
        downloads = set()
        for dataset in datasets:
            assert (dataset, ns.RDF.type, ns.DCAT.Dataset) in graph
            for prop in (
                ns.DCTERMS.title,
                ns.DCTERMS.description,
                ns.DCTERMS.publisher,
                ns.DCAT.theme,
            ):
                assert graph.value(dataset, prop) is not None, (dataset, prop)
            for distribution in graph.objects(dataset, ns.DCAT.distribution):
                assert graph.value(distribution, ns.DCTERMS.license) == LICENCE
                assert graph.value(distribution, ns.DCAT.mediaType) is not None
                assert graph.value(distribution, ns.DCTERMS.format) is not None
                downloads.add(str(graph.value(distribution, ns.DCAT.downloadURL)))
        assert {url.rsplit("/", 1)[1] for url in downloads} == names
        for url in downloads:  # every listed file is there
            path = "/" + url.split("://", 1)[1].split("/", 1)[1]
            assert client.get(path).status_code == 200, path


def test_the_files_are_csv_for_spreadsheets_and_geojson(client, published):
    response = client.get("/offene-daten/maengelmeldungen.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeffVorgangsnummer;Kategorie;Status;")
    assert ";Schlagloch;eingegangen;" in text
    assert "Loch vor Haus 3" not in text and "Erika" not in text
    response = client.get("/offene-daten/maengelmeldungen.geojson")
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(body(response))
    assert collection["type"] == "FeatureCollection"
    (feature,) = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [7.51, 51.41]}
    assert feature["properties"]["kategorie"] == "Schlagloch"
    districts = json.loads(body(client.get("/offene-daten/stadtteile.geojson")))
    assert districts["features"][0]["geometry"]["type"] == "Polygon"
    assert districts["features"][0]["properties"]["name"] == "Ergste"
    projects = json.loads(body(client.get("/offene-daten/vorhaben.geojson")))
    assert projects["type"] == "FeatureCollection"


def test_other_sites_may_download_but_not_write(client, published):
    response = client.get("/offene-daten/ideen.csv", headers={"Origin": "https://example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    response = client.post("/offene-daten/ideen.csv", headers={"Origin": "https://example.org"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "path", ["gibt-es-nicht.csv", "manifest.json", "..%2Fmanifest.json", "katalog.xml"]
)
def test_only_listed_files_are_served(client, published, path):
    assert client.get(f"/offene-daten/{path}").status_code == 404


def test_before_the_first_night(client, db):
    page = client.get("/offene-daten/").content.decode()
    assert "Die ersten erscheinen hier nach der nächsten Nacht." in page
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in page
    assert client.get("/offene-daten/katalog.rdf").status_code == 404


def test_a_new_writing_replaces_the_files(client, published, settings):
    before = body(client.get("/offene-daten/maengelmeldungen.csv")).decode("utf-8")
    Report.objects.update(is_published=False)
    opendata_publish()
    after = body(client.get("/offene-daten/maengelmeldungen.csv")).decode("utf-8")
    assert before.count("\r\n") == 2 and after.count("\r\n") == 1

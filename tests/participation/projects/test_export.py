"""CSV and XLSX export of the (filtered) Vorhabenliste, read back as a spreadsheet would."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from participation.projects.constants import Intensity, Module, ProjectStatus
from participation.projects.models import ProjectStatistics
from tests.factories import DepartmentFactory, DistrictFactory
from tests.participation.factories import field_of_action, many_projects, phase, project

pytestmark = pytest.mark.django_db

CSV_URL = "/vorhabenliste/export/csv/"
XLSX_URL = "/vorhabenliste/export/xlsx/"

HEADER = [
    "Titel",
    "Kurzbeschreibung",
    "Handlungsfeld",
    "Stand",
    "Stadt",
    "Stadtteile",
    "Ort",
    "Breitengrad",
    "Längengrad",
    "Laufzeit von",
    "Laufzeit bis",
    "Kosten (Euro)",
    "Kosten (Erläuterung)",
    "Zuständiger Fachbereich",
    "Nachhaltigkeitsziele (SDG)",
    "Beteiligung geplant",
    "Beteiligung läuft",
    "Teilnehmende",
    "Beiträge",
    "Reaktionen",
    "Adresse im Portal",
]


@pytest.fixture
def projects(vorhabenliste):
    mitte = DistrictFactory(name="Schwerte-Mitte")
    ergste = DistrictFactory(name="Ergste")
    markt = project(
        title="Neugestaltung des Marktplatzes",
        summary="Mehr Grün und Schatten.",
        field_of_action=field_of_action("ZM 01", "Stadtentwicklung"),
        status=ProjectStatus.PLANNING,
        districts=[ergste, mitte],
        location="Marktplatz",
        latitude="51.4459",
        longitude="7.5677",
        start_date=date(2026, 9, 1),
        end_date=date(2028, 10, 1),
        cost="2800000.50",
        cost_text="zu 60 % gefördert",
        department=DepartmentFactory(name="Planungsamt"),
        contact="Erika Mustermann, Telefon 02304 104-610",
        sdgs=[3, 11],
        participation_planned=True,
    )
    phase(markt, modules=[Module.IDEAS], intensity=Intensity.CONSULTATION)
    ProjectStatistics.objects.create(
        project=markt,
        participants_online=7,
        participants_offline=2,
        contributions_online=10,
        contributions_offline=3,
        reactions=21,
    )
    project(title='=HYPERLINK("http://evil.example")', status=ProjectStatus.DONE)
    return markt


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "a BOM makes spreadsheet programs read UTF-8"
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_has_german_columns_and_the_values(client, projects):
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="vorhabenliste-')
    rows = read_csv(response)
    assert rows[0] == HEADER
    row = dict(
        zip(HEADER, next(r for r in rows if r[0] == "Neugestaltung des Marktplatzes"), strict=True)
    )
    assert row == {
        "Titel": "Neugestaltung des Marktplatzes",
        "Kurzbeschreibung": "Mehr Grün und Schatten.",
        "Handlungsfeld": "Stadtentwicklung",
        "Stand": "in Planung",
        "Stadt": "Schwerte",
        "Stadtteile": "Ergste, Schwerte-Mitte",
        "Ort": "Marktplatz",
        "Breitengrad": "51,445900",
        "Längengrad": "7,567700",
        "Laufzeit von": "01.09.2026",
        "Laufzeit bis": "01.10.2028",
        "Kosten (Euro)": "2800000,50",
        "Kosten (Erläuterung)": "zu 60 % gefördert",
        "Zuständiger Fachbereich": "Planungsamt",
        "Nachhaltigkeitsziele (SDG)": "3, 11",
        "Beteiligung geplant": "ja",
        "Beteiligung läuft": "ja",
        "Teilnehmende": "9",
        "Beiträge": "13",
        "Reaktionen": "21",
        "Adresse im Portal": f"http://testserver/vorhabenliste/{projects.slug}/",
    }


def test_export_has_no_personal_data(client, projects):
    for url in (CSV_URL, XLSX_URL):
        content = client.get(url).content
        body = content.decode("utf-8-sig") if url == CSV_URL else _xlsx_text(content)
        assert "Mustermann" not in body
        assert "104-610" not in body


def test_cells_never_become_formulas(client, projects):
    rows = read_csv(client.get(CSV_URL))
    assert '\'=HYPERLINK("http://evil.example")' in [r[0] for r in rows]
    sheet = load_workbook(io.BytesIO(client.get(XLSX_URL).content)).active
    cell = next(c for c in sheet["A"] if "HYPERLINK" in str(c.value))
    assert cell.data_type == "s"
    assert cell.value.startswith("'=")


def test_export_follows_the_filters(client, projects):
    rows = read_csv(client.get(CSV_URL, {"stand": "abgeschlossen"}))
    assert [r[0] for r in rows[1:]] == ['\'=HYPERLINK("http://evil.example")']
    rows = read_csv(client.get(CSV_URL, {"beteiligung": "on"}))
    assert [r[0] for r in rows[1:]] == ["Neugestaltung des Marktplatzes"]


def _xlsx_text(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    return " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


def test_xlsx_reads_back_with_types(client, projects):
    response = client.get(XLSX_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert sheet.title == "Vorhaben"
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    row = dict(
        zip(HEADER, next(r for r in rows if r[0] == "Neugestaltung des Marktplatzes"), strict=True)
    )
    assert row["Kosten (Euro)"] == 2800000.5
    assert row["Laufzeit von"].date() == date(2026, 9, 1)
    assert row["Stadtteile"] == "Ergste, Schwerte-Mitte"
    assert row["Beiträge"] == 13
    assert row["Beteiligung läuft"] == "ja"
    assert len(rows) == 3


def test_list_page_links_the_export_with_its_filters(client, projects):
    html = client.get("/vorhabenliste/", {"stand": "in_planung", "seite": "1"}).content.decode()
    assert 'href="/vorhabenliste/export/csv/?stand=in_planung"' in html
    assert 'href="/vorhabenliste/export/xlsx/?stand=in_planung"' in html


@pytest.mark.slow
def test_export_of_1000_projects_in_constant_queries(
    client, vorhabenliste, django_assert_max_num_queries
):
    many_projects(1000, districts=[DistrictFactory()], department=DepartmentFactory())
    client.get(CSV_URL)
    with django_assert_max_num_queries(12):
        response = client.get(CSV_URL)
    assert len(read_csv(response)) == 1001
    with django_assert_max_num_queries(12):
        response = client.get(XLSX_URL)
    assert load_workbook(io.BytesIO(response.content)).active.max_row == 1001

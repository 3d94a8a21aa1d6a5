"""Editing projects in the Wagtail admin: Handlungsfelder, phases with module checkboxes, events."""

import pytest
from django.test import Client
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from participation.projects.constants import EventFormat, Intensity, Module
from participation.projects.models import FieldOfAction, ProjectPage
from tests.factories import DistrictFactory, UserFactory
from tests.participation.factories import phase, project

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, login_with_second_factor):
    login_with_second_factor(client, UserFactory(is_superuser=True, is_staff=True))
    return client


def test_fields_of_action_are_snippets(editor):
    response = editor.post(
        "/admin/snippets/projects/fieldofaction/add/", {"code": "ZM 02", "name": "Mobilität"}
    )
    assert response.status_code == 302
    assert FieldOfAction.objects.get(code="ZM 02").name == "Mobilität"
    listing = editor.get("/admin/snippets/projects/fieldofaction/").content.decode()
    assert "Mobilität" in listing
    assert (
        "Mobilität"
        in editor.get("/admin/snippets/projects/fieldofaction/", {"q": "Mobil"}).content.decode()
    )


def project_form(**overrides) -> dict:
    data = {
        "title": "Neugestaltung des Marktplatzes",
        "slug": "marktplatz",
        "summary": "Mehr Grün.",
        "body": rich_text("<p>Beschreibung</p>"),
        "status": "in_planung",
        "field_of_action": "",
        "start_date": "2026-09-01",
        "end_date": "2028-10-01",
        "cost": "2800000",
        "cost_text": "",
        "cities": "Schwerte",
        "location": "Marktplatz",
        "latitude": "51.4459",
        "longitude": "7.5677",
        "department": "",
        "contact": "",
        "participation_planned": "on",
        "participation_text": "",
        "phases": inline_formset(
            [
                {
                    "name": "Online-Beteiligung",
                    "intensity": Intensity.CONSULTATION,
                    "starts_at": "2026-11-16 00:00",
                    "ends_at": "2027-01-22 00:00",
                    "description": "",
                    "input_use": "",
                    "poll_results": "nach_phase",
                }
            ]
        ),
        "events": inline_formset([]),
        "updates": inline_formset([]),
        "result": rich_text(""),
        "comments": inline_formset([]),
        "action-publish": "action-publish",
    }
    data.update(overrides)
    form = nested_form_data(data)
    # lists would be flattened into "sdgs-0", …; checkboxes send one name several times
    form["sdgs"] = ["3", "11"]
    form["phases-0-modules"] = [Module.IDEAS, Module.POLLS]
    return form


def test_editor_publishes_a_project_with_ticked_modules_and_sdgs(editor, vorhabenliste):
    district = DistrictFactory(name="Schwerte-Mitte")
    form = project_form()
    form["districts"] = [district.pk]
    add_url = f"/admin/pages/add/projects/projectpage/{vorhabenliste.pk}/"
    page = editor.get(add_url).content.decode()
    assert 'type="checkbox" name="sdgs" value="13"' in page
    assert 'value="ideen"' in page and "Umfrage beantworten" in page
    response = editor.post(add_url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    vorhaben = ProjectPage.objects.get(slug="marktplatz")
    assert vorhaben.live
    assert vorhaben.sdgs == [3, 11]
    assert list(vorhaben.districts.all()) == [district]
    [phase] = vorhaben.phases.all()
    assert phase.modules == ["ideen", "umfrage"]

    edit = editor.get(f"/admin/pages/{vorhaben.pk}/edit/").content.decode()
    assert 'name="phases-0-modules" value="ideen"' in edit
    checked = edit[edit.index('name="phases-0-modules" value="ideen"') - 200 :]
    assert "checked" in checked[: checked.index("</label>")]


def test_online_event_without_livestream_is_refused(editor, vorhabenliste):
    form = project_form(
        events=inline_formset(
            [
                {
                    "title": "Infoabend",
                    "format": EventFormat.ONLINE,
                    "starts_at": "2026-12-01 19:00",
                    "ends_at": "",
                    "place": "",
                    "livestream_url": "",
                    "description": "",
                }
            ]
        )
    )
    response = editor.post(f"/admin/pages/add/projects/projectpage/{vorhabenliste.pk}/", form)
    assert response.status_code == 200
    assert (
        "Für eine Online- oder Hybrid-Veranstaltung ist der Link zum Livestream nötig."
        in response.content.decode()
    )
    assert not ProjectPage.objects.exists()


def test_events_of_each_format_with_their_details_are_published(editor, vorhabenliste):
    event = {"ends_at": "", "place": "", "livestream_url": "", "description": ""}
    form = project_form(
        events=inline_formset(
            [
                {**event, "title": "Werkstatt", "format": EventFormat.ON_SITE,
                 "starts_at": "2026-12-01 19:00", "place": "Rathaus, Ratssaal"},
                {**event, "title": "Sprechstunde", "format": EventFormat.ONLINE,
                 "starts_at": "2026-12-02 19:00", "livestream_url": "https://stream.example/a"},
                {**event, "title": "Infoabend", "format": EventFormat.HYBRID,
                 "starts_at": "2026-12-03 19:00", "place": "Rohrmeisterei",
                 "livestream_url": "https://stream.example/b"},
            ]
        )
    )  # fmt: skip
    response = editor.post(f"/admin/pages/add/projects/projectpage/{vorhabenliste.pk}/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    citizen = Client()
    page = citizen.get(ProjectPage.objects.get(slug="marktplatz").url).content.decode()
    for text in ("Werkstatt", "Sprechstunde", "Infoabend", "Rathaus, Ratssaal", "Rohrmeisterei"):
        assert text in page
    assert 'href="https://stream.example/a"' in page
    assert 'href="https://stream.example/b"' in page


def test_phase_ending_before_it_starts_is_refused(editor, vorhabenliste):
    form = project_form()
    form["phases-0-ends_at"] = "2026-11-01 00:00"
    response = editor.post(f"/admin/pages/add/projects/projectpage/{vorhabenliste.pk}/", form)
    assert response.status_code == 200
    assert "Das Ende muss nach dem Beginn liegen." in response.content.decode()
    assert not ProjectPage.objects.exists()


def test_preview_shows_the_phases_being_edited(editor, vorhabenliste):
    preview_url = f"/admin/pages/add/projects/projectpage/{vorhabenliste.pk}/preview/"
    response = editor.post(preview_url, project_form())
    assert response.json()["is_valid"] is True
    html = editor.get(preview_url).content.decode()
    assert "Online-Beteiligung" in html
    assert "Beteiligungsstufe:" in html


def test_preview_of_an_edit_shows_the_unsaved_phase(editor, vorhabenliste):
    vorhaben = project(title="Marktplatz", slug="marktplatz", participation_planned=True)
    old = phase(vorhaben, name="Alte Phase")
    form = project_form()
    form.update(
        {
            "phases-INITIAL_FORMS": "1",
            "phases-0-id": str(old.pk),
            "phases-0-name": "Umbenannte Phase",
        }
    )
    preview_url = f"/admin/pages/{vorhaben.pk}/edit/preview/"
    assert editor.post(preview_url, form).json()["is_valid"] is True
    html = editor.get(preview_url).content.decode()
    assert "Umbenannte Phase" in html
    assert "Alte Phase" not in html
    assert vorhaben.phases.get().name == "Alte Phase"  # nothing saved

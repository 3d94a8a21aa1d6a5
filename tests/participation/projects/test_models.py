"""Projects, phases and events: what editors cannot save, and what the page derives."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone

from participation.projects.constants import EventFormat, Intensity, Module
from participation.projects.models import Phase, ProjectEvent
from participation.projects.widgets import JSONCheckboxes
from tests.participation.factories import build_project, phase, project

pytestmark = pytest.mark.django_db


def test_project_end_before_start_is_refused():
    page = build_project(
        start_date=timezone.localdate(), end_date=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "Das Ende liegt vor dem Beginn." in error.value.message_dict["end_date"]


@pytest.mark.parametrize("sdgs", [[0], [18], ["3"]])
def test_sdgs_are_numbers_1_to_17(sdgs):
    page = build_project(sdgs=sdgs)
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "Nachhaltigkeitsziele sind die Nummern 1 bis 17." in error.value.message_dict["sdgs"]


def test_sdg_labels_follow_the_numbers():
    page = build_project(sdgs=[13, 3])
    assert page.sdg_labels == ["13 Maßnahmen zum Klimaschutz", "3 Gesundheit und Wohlergehen"]


def _phase(**fields) -> Phase:
    now = timezone.now()
    values = {
        "name": "Phase",
        "intensity": Intensity.CONSULTATION,
        "starts_at": now,
        "ends_at": now + timedelta(days=1),
        "modules": [],
    }
    values.update(fields)
    return Phase(**values)


def test_phase_must_end_after_it_starts():
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        _phase(starts_at=now, ends_at=now).clean()
    assert "Das Ende muss nach dem Beginn liegen." in error.value.message_dict["ends_at"]


def test_phase_refuses_unknown_modules():
    with pytest.raises(ValidationError) as error:
        _phase(modules=["ideen", "wetten"]).clean()
    assert "Unbekanntes Modul: wetten" in error.value.message_dict["modules"]


def test_phase_says_what_happens_to_the_input():
    assert _phase(intensity=Intensity.DECISION).input_use_text == (
        "Sie entscheiden. Das Ergebnis wird umgesetzt."
    )
    own = "Der Rat bekommt alle Beiträge."
    assert _phase(intensity=Intensity.DECISION, input_use=own).input_use_text == own


def test_phase_modules_as_words():
    assert _phase(modules=[Module.POLLS, Module.IDEAS]).module_labels == [
        "Umfrage beantworten",
        "Ideen einreichen",
    ]


def test_running_phase_moves_with_time():
    vorhaben = project()
    past = phase(vorhaben, running="past", name="Auftakt")
    current = phase(vorhaben, running=True, name="Konsultation")
    future = phase(
        vorhaben,
        running="future",
        name="Beschluss",
        starts_at=current.ends_at,
        ends_at=current.ends_at + timedelta(days=30),
    )
    assert vorhaben.phase_at() == current
    assert [past.state(), current.state(), future.state()] == ["past", "running", "future"]
    with time_machine.travel(future.starts_at + timedelta(hours=1)):
        assert vorhaben.phase_at() == future
    with time_machine.travel(future.ends_at + timedelta(days=1)):
        assert vorhaben.phase_at() is None


def _event(**fields) -> ProjectEvent:
    values = {
        "title": "Bürgerwerkstatt",
        "starts_at": timezone.now(),
        "format": EventFormat.ON_SITE,
    }
    values.update(fields)
    return ProjectEvent(**values)


@pytest.mark.parametrize("event_format", [EventFormat.ONLINE, EventFormat.HYBRID])
def test_online_and_hybrid_events_need_a_livestream_link(event_format):
    with pytest.raises(ValidationError) as error:
        _event(format=event_format, place="Rathaus").clean()
    assert error.value.message_dict["livestream_url"] == [
        "Für eine Online- oder Hybrid-Veranstaltung ist der Link zum Livestream nötig."
    ]


@pytest.mark.parametrize("event_format", [EventFormat.ON_SITE, EventFormat.HYBRID])
def test_events_on_site_need_a_place(event_format):
    with pytest.raises(ValidationError) as error:
        _event(format=event_format, livestream_url="https://stream.example/").clean()
    assert error.value.message_dict["place"] == [
        "Bitte geben Sie an, wo die Veranstaltung stattfindet."
    ]


def test_event_must_end_after_it_starts():
    start = timezone.now()
    with pytest.raises(ValidationError) as error:
        _event(place="Rathaus", starts_at=start, ends_at=start - timedelta(hours=1)).clean()
    assert "ends_at" in error.value.message_dict


def test_checkboxes_turn_ticks_into_a_json_list():
    widget = JSONCheckboxes(choices=[(1, "eins"), (3, "drei")], cast=int)
    data = QueryDict("sdgs=3&sdgs=1&sdgs=x")
    assert widget.value_from_datadict(data, {}, "sdgs") == "[3, 1]"
    assert widget.value_from_datadict(QueryDict(""), {}, "sdgs") == "[]"
    assert widget.format_value("[3]") == ["3"]
    assert widget.format_value([1, 3]) == ["1", "3"]
    assert widget.format_value("kaputt") == []

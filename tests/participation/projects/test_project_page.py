"""The project page: the §1 fields, the phase timeline, events, progress, result and counters."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participation.projects.constants import ContributionChannel, EventFormat, Intensity, Module
from participation.projects.models import ProjectEvent, ProjectUpdate
from participation.projects.services import participation_record
from tests.factories import DepartmentFactory, DistrictFactory
from tests.participation.factories import field_of_action, phase, project

pytestmark = pytest.mark.django_db


def text_of(markup: str) -> str:
    """The visible text, whitespace folded (a non-breaking space counts as a space)."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", markup)))


@pytest.fixture
def marktplatz(vorhabenliste):
    vorhaben = project(
        title="Neugestaltung des Marktplatzes",
        slug="marktplatz",
        summary="Mehr Grün und Schatten für den Marktplatz.",
        field_of_action=field_of_action("ZM 01", "Stadtentwicklung und Wohnen"),
        districts=[DistrictFactory(name="Schwerte-Mitte")],
        location="Marktplatz, Altstadt",
        start_date=date(2026, 9, 1),
        end_date=date(2028, 10, 1),
        cost="2800000",
        cost_text="davon 60 % Städtebauförderung",
        department=DepartmentFactory(name="Planungsamt"),
        contact="Team Innenstadt",
        sdgs=[11, 13],
        participation_planned=True,
        participation_text="Online und im MitMachBüro.",
        result="<p>Der Rat hat Entwurf B beschlossen.</p>",
    )
    now = timezone.now()
    phase(
        vorhaben,
        name="Auftakt",
        intensity=Intensity.INFORMATION,
        modules=[],
        starts_at=now - timedelta(days=30),
        ends_at=now - timedelta(days=7),
    )
    phase(
        vorhaben,
        name="Online-Beteiligung",
        intensity=Intensity.CONSULTATION,
        modules=[Module.IDEAS, Module.COMMENTS],
        starts_at=now - timedelta(days=7),
        ends_at=now + timedelta(days=30),
    )
    phase(
        vorhaben,
        name="Beschluss im Rat",
        intensity=Intensity.INFORMATION,
        modules=[],
        input_use="Der Rat erhält die Auswertung aller Beiträge.",
        starts_at=now + timedelta(days=30),
        ends_at=now + timedelta(days=60),
    )
    ProjectEvent.objects.create(
        project=vorhaben,
        title="Bürgerwerkstatt",
        starts_at=now + timedelta(days=14),
        format=EventFormat.HYBRID,
        place="Rathaus, Ratssaal",
        livestream_url="https://stream.schwerte.example/marktplatz",
    )
    ProjectEvent.objects.create(
        project=vorhaben,
        title="Online-Sprechstunde",
        starts_at=now + timedelta(days=20),
        format=EventFormat.ONLINE,
        livestream_url="https://stream.schwerte.example/sprechstunde",
    )
    ProjectUpdate.objects.create(
        project=vorhaben, date=date(2026, 11, 16), title="Beteiligung gestartet", text="Los geht's."
    )
    ProjectUpdate.objects.create(
        project=vorhaben, date=date(2026, 9, 24), title="Analyse veröffentlicht", text="Zu heiß."
    )
    return vorhaben


def test_page_shows_the_fields_of_the_vorhabenliste(client, marktplatz):
    response = client.get("/vorhabenliste/marktplatz/")
    assert response.status_code == 200
    text = text_of(response.content.decode())
    for expected in [
        "Neugestaltung des Marktplatzes",
        "Mehr Grün und Schatten für den Marktplatz.",
        "Stand in Planung",
        "Handlungsfeld Stadtentwicklung und Wohnen",
        "Stadt Schwerte",
        "Stadtteile Schwerte-Mitte",
        "Ort Marktplatz, Altstadt",
        "Laufzeit September 2026 bis Oktober 2028",
        "Kosten 2.800.000,00 € – davon 60 % Städtebauförderung",
        "Zuständig Planungsamt",
        "Ansprechperson Team Innenstadt",
        "11 Nachhaltige Städte und Gemeinden",
        "13 Maßnahmen zum Klimaschutz",
        "Online und im MitMachBüro.",
        "Ergebnis Der Rat hat Entwurf B beschlossen.",
    ]:
        assert expected in text, expected


def test_timeline_marks_the_running_phase_and_says_what_happens_to_input(client, marktplatz):
    html = client.get("/vorhabenliste/marktplatz/").content.decode()
    timeline = html[html.index('<ol class="timeline project-phases"') :]
    timeline = timeline[: timeline.index("</ol>")]
    items = timeline.split("<li ")[1:]
    assert [re.search(r'<h4 class="timeline__title">([^<]+)</h4>', i)[1] for i in items] == [
        "Auftakt",
        "Online-Beteiligung",
        "Beschluss im Rat",
    ]
    assert timeline.count('aria-current="step"') == 1
    assert 'aria-current="step"' in items[1]
    running = text_of(items[1])
    assert "läuft jetzt" in running
    assert "Beteiligungsstufe: Konsultation" in running
    assert (
        "Was mit Ihren Beiträgen geschieht: Wir fragen Sie nach Ihrer Meinung. Alle Beiträge "
        "werden ausgewertet und fließen in die Planung ein" in running
    )
    assert "Möglich in dieser Phase: Ideen einreichen, Kommentieren" in running
    assert "abgeschlossen" in text_of(items[0])
    assert "nur lesen und sich informieren" in text_of(items[0])
    assert "geplant" in text_of(items[2])
    assert "Der Rat erhält die Auswertung aller Beiträge." in text_of(items[2])
    assert "Jetzt mitmachen" in html


def test_between_phases_nobody_is_invited_to_take_part(client, marktplatz):
    ends = marktplatz.phases.get(name="Beschluss im Rat").ends_at
    with time_machine.travel(ends + timedelta(days=1)):
        html = client.get("/vorhabenliste/marktplatz/").content.decode()
    assert 'aria-current="step"' not in html
    assert "Jetzt mitmachen" not in html
    assert "Gerade läuft keine Phase." in html


def test_events_with_format_place_and_livestream(client, marktplatz):
    html = client.get("/vorhabenliste/marktplatz/").content.decode()
    events = html[html.index('<ul class="project-events">') :]
    events = events[: events.index("</ul>")]
    text = text_of(events)
    assert text.index("Bürgerwerkstatt") < text.index("Online-Sprechstunde")
    assert "hybrid (vor Ort und im Livestream)" in text
    assert "Ort: Rathaus, Ratssaal" in text
    assert 'href="https://stream.schwerte.example/marktplatz"' in events
    assert 'href="https://stream.schwerte.example/sprechstunde"' in events
    assert text.count("Ort:") == 1  # the online event has no place


def test_progress_updates_newest_first(client, marktplatz):
    text = text_of(client.get("/vorhabenliste/marktplatz/").content.decode())
    assert text.index("Beteiligung gestartet") < text.index("Analyse veröffentlicht")
    assert "16. November 2026" in text


def test_figures_come_from_the_counters(client, marktplatz):
    for key, channel in [
        ("user:1", ContributionChannel.ONLINE),
        ("user:1", ContributionChannel.ONLINE),
        ("user:2", ContributionChannel.ONLINE),
        ("offline:idea:1", ContributionChannel.MITMACHBUERO),
    ]:
        participation_record(project_id=marktplatz.pk, participant_key=key, channel=channel)
    participation_record(project_id=marktplatz.pk, participant_key="user:3", contribution=False)
    html = client.get("/vorhabenliste/marktplatz/").content.decode()
    figures = html[html.index('<dl class="project-figures">') :]
    figures = text_of(figures[: figures.index("</dl>")])
    assert figures.split() == (
        "Teilnehmende online 3 Teilnehmende offline 1 Beiträge 4 Reaktionen 1".split()
    )
    assert "Davon 3 Beiträge online und 1 offline" in text_of(html)


def test_project_without_participation(client, vorhabenliste):
    project(title="LED-Straßenbeleuchtung", slug="led", participation_planned=False)
    text = text_of(client.get("/vorhabenliste/led/").content.decode())
    assert "Beteiligung nicht vorgesehen" in text
    assert "Ablauf der Beteiligung" not in text
    assert "Beteiligung in Zahlen" not in text
    assert "Stadtteile ganze Stadt" in text


def test_unpublished_project_is_not_public(client, vorhabenliste):
    project(title="Entwurf", slug="entwurf", live=False)
    assert client.get("/vorhabenliste/entwurf/").status_code == 404


def _queries_for(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_page_parts_in_constant_queries(client, marktplatz, page_cache_off):
    """Phases, events, updates and districts are loaded once, however many there are."""
    small = _queries_for(client, "/vorhabenliste/marktplatz/")
    big = project(
        title="Großes Vorhaben",
        slug="gross",
        participation_planned=True,
        field_of_action=field_of_action(),
        department=DepartmentFactory(),
        districts=[DistrictFactory() for _ in range(8)],
    )
    now = timezone.now()
    phase(big, modules=[Module.IDEAS, Module.COMMENTS], name="Läuft")
    for number in range(30):
        phase(
            big,
            modules=[],
            name=f"Phase {number}",
            starts_at=now + timedelta(days=31 + number),
            ends_at=now + timedelta(days=32 + number),
        )
        ProjectEvent.objects.create(
            project=big, title=f"Termin {number}", starts_at=now, place="Rathaus"
        )
        ProjectUpdate.objects.create(project=big, title=f"Meldung {number}", text="Weiter.")
    assert _queries_for(client, "/vorhabenliste/gross/") == small

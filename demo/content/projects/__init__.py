"""The demo MitMachStadt of Schwerte: Handlungsfelder, the Vorhabenliste with 30 projects, four
of them with participation phases, and the home page's "Mitmachen" tile leading to the list.
Safe to load again: what exists is left as it is.

Phases are dated relative to the first load: "Neugestaltung des Marktplatzes" is in its
consultation (ideas, comments, support, poll) from 7 days ago until 60 days from now.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from wagtail.models import Page

from participation.projects.constants import EventFormat, Intensity, Module, ResultsVisibility
from participation.projects.constants import ProjectStatus as S
from participation.projects.models import (
    FieldOfAction,
    Phase,
    ProjectEvent,
    ProjectIndexPage,
    ProjectPage,
    ProjectUpdate,
)
from portal.cms.models import HomePage
from portal.departments.models import Department, District

from ..home import link_tile
from .data import FIELDS_OF_ACTION, PROJECTS

INDEX_SLUG = "vorhabenliste"
MARKTPLATZ_TITLE = "Neugestaltung des Marktplatzes"
ALL_MODULES = [Module.IDEAS, Module.COMMENTS, Module.RATINGS, Module.POLLS]


def _month(value: str | None) -> date | None:
    if not value:
        return None
    year, month = value.split("-")
    return date(int(year), int(month), 1)


def _at(day: date, hour: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _rich(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _participation_projects(today: date) -> list[dict]:
    """The projects with phases, dated from `today` (the day of the first load)."""
    return [
        {
            "slug": "neugestaltung-marktplatz",
            "title": MARKTPLATZ_TITLE,
            "summary": "Der Marktplatz soll grüner, schattiger und barrierefrei werden. Wie, "
            "entscheiden wir mit Ihnen.",
            "body": _rich(
                "Der Marktplatz ist das Herz der Altstadt – und im Sommer eine heiße "
                "Steinfläche. Bis 2028 wird er neu gestaltet: mit Bäumen, Wasser, Sitzplätzen "
                "und ebenen Wegen für alle.",
                "Drei Entwürfe liegen vor. In der Online-Beteiligung können Sie Ideen "
                "einreichen, die Vorschläge anderer kommentieren und unterstützen und an einer "
                "kurzen Umfrage teilnehmen.",
            ),
            "field": "ZM 01",
            "status": S.PLANNING,
            "districts": ["Schwerte-Mitte"],
            "location": "Marktplatz, Altstadt",
            "lat": "51.445900",
            "lon": "7.567700",
            "start": "2026-09",
            "end": "2028-10",
            "cost": "2800000",
            "cost_text": "davon 60 % Städtebauförderung",
            "department": "PLA",
            "contact": "Planungsamt, Team Innenstadt\nTelefon 02304 104-610",
            "sdgs": [3, 11, 13],
            "participation": True,
            "participation_text": "Online, im MitMachBüro im Rathaus und bei einer "
            "Bürgerwerkstatt vor Ort. Alle Beiträge – auch auf Papier – zählen gleich.",
            "phases": [
                {
                    "name": "Auftakt: Bestand und Entwürfe",
                    "intensity": Intensity.INFORMATION,
                    "starts_at": _at(today - timedelta(days=60)),
                    "ends_at": _at(today - timedelta(days=7)),
                    "modules": [],
                    "description": "Vorstellung der Analyse und der drei Entwürfe.",
                },
                {
                    "name": "Online-Beteiligung",
                    "intensity": Intensity.CONSULTATION,
                    "starts_at": _at(today - timedelta(days=7)),
                    "ends_at": _at(today + timedelta(days=60)),
                    "modules": ALL_MODULES,
                    "description": "Ideen, Kommentare, Unterstützung und eine kurze Umfrage.",
                },
                {
                    "name": "Beschluss im Rat",
                    "intensity": Intensity.INFORMATION,
                    "starts_at": _at(today + timedelta(days=60)),
                    "ends_at": _at(today + timedelta(days=120)),
                    "modules": [],
                    "description": "Der Rat entscheidet über den Entwurf; wir berichten hier.",
                    "input_use": "Der Rat erhält die Auswertung aller Beiträge mit der "
                    "Beschlussvorlage. Wie jeder Vorschlag berücksichtigt wurde, lesen Sie "
                    "danach im Ergebnis.",
                },
            ],
            "events": [
                {
                    "title": "Bürgerwerkstatt Marktplatz",
                    "starts_at": _at(today + timedelta(days=14), 18),
                    "ends_at": _at(today + timedelta(days=14), 20),
                    "format": EventFormat.HYBRID,
                    "place": "Rathaus, Ratssaal, Rathausstraße 31",
                    "livestream_url": "https://stream.schwerte.example/marktplatz",
                    "description": "Wir stellen die Entwürfe vor und sammeln Ihre Hinweise "
                    "an Thementischen. Gebärdensprachdolmetschung auf Anfrage.",
                },
            ],
            "updates": [
                {
                    "date": today - timedelta(days=7),
                    "title": "Die Online-Beteiligung hat begonnen",
                    "text": "Bis zum Ende der Phase können Sie Ideen einreichen und kommentieren.",
                },
                {
                    "date": today - timedelta(days=60),
                    "title": "Bestandsanalyse veröffentlicht",
                    "text": "Hitze, fehlende Sitzplätze und unebenes Pflaster sind die größten "
                    "Probleme.",
                },
            ],
        },
        {
            "slug": "radverkehrskonzept-2030",
            "title": "Radverkehrskonzept Schwerte 2030",
            "summary": "Ein Netz sicherer Radwege zwischen allen Stadtteilen, Schulen und dem "
            "Bahnhof.",
            "body": _rich(
                "Das Konzept legt fest, welche Radwege bis 2030 gebaut oder verbessert werden. "
                "In dieser Phase informieren wir über die Ergebnisse der Verkehrszählung."
            ),
            "field": "ZM 02",
            "status": S.PLANNING,
            "districts": [],
            "location": "ganzes Stadtgebiet",
            "start": "2026-06",
            "end": "2027-06",
            "cost": "85000",
            "cost_text": "Planungskosten",
            "department": "TBA",
            "sdgs": [3, 11, 13],
            "participation": True,
            "participation_text": "Zuerst informieren wir; 2027 folgt eine Online-Konsultation.",
            "phases": [
                {
                    "name": "Information: Ergebnisse der Verkehrszählung",
                    "intensity": Intensity.INFORMATION,
                    "starts_at": _at(today - timedelta(days=14)),
                    "ends_at": _at(today + timedelta(days=45)),
                    "modules": [],
                },
                {
                    "name": "Online-Konsultation zum Radnetz",
                    "intensity": Intensity.CONSULTATION,
                    "starts_at": _at(today + timedelta(days=45)),
                    "ends_at": _at(today + timedelta(days=90)),
                    "modules": [Module.IDEAS, Module.COMMENTS],
                },
            ],
            "events": [
                {
                    "title": "Online-Infoabend Radverkehr",
                    "starts_at": _at(today + timedelta(days=10), 19),
                    "format": EventFormat.ONLINE,
                    "livestream_url": "https://stream.schwerte.example/radverkehr",
                },
            ],
        },
        {
            "slug": "spielplatz-wandhofen",
            "title": "Neuer Spielplatz am Wandhofener Bach",
            "summary": "Kinder und Eltern haben über die Gestaltung des Spielplatzes "
            "mitentschieden. Er ist fertig.",
            "body": _rich(
                "Auf einer Brachfläche am Wandhofener Bach ist ein Naturspielplatz mit "
                "Wasserlauf, Kletterwald und Sitzplätzen im Schatten entstanden."
            ),
            "field": "ZM 05",
            "status": S.DONE,
            "districts": ["Wandhofen"],
            "location": "Am Wandhofener Bach",
            "lat": "51.451700",
            "lon": "7.528100",
            "start": "2025-03",
            "end": "2026-07",
            "cost": "275000",
            "department": "GFA",
            "sdgs": [3, 11, 15],
            "participation": True,
            "participation_text": "Mitentscheidung: Die Abstimmung der Familien war bindend.",
            "phases": [
                {
                    "name": "Abstimmung über die Entwürfe",
                    "intensity": Intensity.CODECISION,
                    "starts_at": _at(today - timedelta(days=400)),
                    "ends_at": _at(today - timedelta(days=370)),
                    "modules": [Module.COMMENTS, Module.POLLS],
                    "poll_results": ResultsVisibility.IMMEDIATELY,
                },
            ],
            "updates": [
                {
                    "date": today - timedelta(days=120),
                    "title": "Eröffnung gefeiert",
                    "text": "Über 300 Gäste kamen zum Eröffnungsfest.",
                },
            ],
            "result": _rich(
                "412 Menschen haben abgestimmt, 61 % für den Entwurf „Wasser und Wald“. "
                "Gebaut wurde genau dieser Entwurf; zwei Wünsche aus den Kommentaren "
                "(Trinkbrunnen, Schattensegel) kamen hinzu.",
            ),
        },
        {
            "slug": "ruhrufer-westhofen",
            "title": "Ruhrufer Westhofen",
            "summary": "Wie soll das Ruhrufer in Westhofen künftig aussehen? Sagen Sie uns Ihre "
            "Ideen.",
            "body": _rich(
                "Zwischen Fähranleger und Campingplatz soll das Ufer zugänglicher werden: "
                "mit Sitzstufen, einer Liegewiese und einem Weg am Wasser."
            ),
            "field": "ZM 05",
            "status": S.PLANNING,
            "districts": ["Westhofen"],
            "location": "Ruhrufer am Fähranleger",
            "lat": "51.426200",
            "lon": "7.509900",
            "start": "2026-10",
            "end": "2028-06",
            "cost": "640000",
            "department": "GFA",
            "sdgs": [3, 6, 15],
            "participation": True,
            "participation_text": "Ideensammlung online und am Ufer bei einem Spaziergang.",
            "phases": [
                {
                    "name": "Ideensammlung",
                    "intensity": Intensity.CONSULTATION,
                    "starts_at": _at(today - timedelta(days=3)),
                    "ends_at": _at(today + timedelta(days=40)),
                    "modules": [Module.IDEAS, Module.COMMENTS, Module.RATINGS],
                },
            ],
            "events": [
                {
                    "title": "Uferspaziergang mit dem Grünflächenamt",
                    "starts_at": _at(today + timedelta(days=9), 15),
                    "ends_at": _at(today + timedelta(days=9), 17),
                    "format": EventFormat.ON_SITE,
                    "place": "Treffpunkt Fähranleger Westhofen",
                },
            ],
        },
    ]


def _index(home: HomePage, stdout) -> ProjectIndexPage:
    index = ProjectIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=ProjectIndexPage(
                title="Vorhabenliste",
                slug=INDEX_SLUG,
                # reached through the home page's "Mitmachen" tile; the main menu is full
                show_in_menus=False,
                seo_title="Vorhabenliste der Stadt Schwerte",
                intro="Woran die Stadt arbeitet, was es kostet, wer zuständig ist – und wo Sie "
                "mitreden können. Die Liste gibt es auch als Tabelle zum Herunterladen.",
            )
        )
        stdout.write("  Vorhabenliste angelegt")
    return index


def _build(entry: dict, *, fields, departments, districts) -> ProjectPage:
    page = ProjectPage(
        title=entry["title"],
        slug=entry["slug"],
        summary=entry["summary"],
        body=entry.get("body", ""),
        field_of_action=fields.get(entry.get("field")),
        location=entry.get("location", ""),
        latitude=Decimal(entry["lat"]) if entry.get("lat") else None,
        longitude=Decimal(entry["lon"]) if entry.get("lon") else None,
        start_date=_month(entry.get("start")),
        end_date=_month(entry.get("end")),
        status=entry["status"],
        cost=Decimal(entry["cost"]) if entry.get("cost") else None,
        cost_text=entry.get("cost_text", ""),
        department=departments.get(entry.get("department")),
        contact=entry.get("contact", ""),
        sdgs=entry.get("sdgs", []),
        participation_planned=entry.get("participation", False),
        participation_text=entry.get("participation_text", ""),
        result=entry.get("result", ""),
    )
    page.districts = [districts[name] for name in entry.get("districts", []) if name in districts]
    page.phases = [
        Phase(
            sort_order=number,
            name=phase["name"],
            description=phase.get("description", ""),
            intensity=phase["intensity"],
            input_use=phase.get("input_use", ""),
            starts_at=phase["starts_at"],
            ends_at=phase["ends_at"],
            modules=[str(module) for module in phase["modules"]],
            poll_results=phase.get("poll_results", ResultsVisibility.AFTER_PHASE),
        )
        for number, phase in enumerate(entry.get("phases", []))
    ]
    page.events = [
        ProjectEvent(sort_order=number, **event)
        for number, event in enumerate(entry.get("events", []))
    ]
    page.updates = [
        ProjectUpdate(sort_order=number, **update)
        for number, update in enumerate(entry.get("updates", []))
    ]
    return page


def load(stdout) -> None:
    home = HomePage.objects.first()
    if home is None:
        return
    fields = {}
    for code, name in FIELDS_OF_ACTION:
        fields[code], _ = FieldOfAction.objects.get_or_create(code=code, defaults={"name": name})
    departments = {d.short_name: d for d in Department.objects.all()}
    districts = {d.name: d for d in District.objects.all()}

    index = _index(home, stdout)
    existing = set(Page.objects.child_of(index).values_list("slug", flat=True))
    created = 0
    for entry in [*_participation_projects(timezone.localdate()), *PROJECTS]:
        if entry["slug"] in existing:
            continue
        page = _build(entry, fields=fields, departments=departments, districts=districts)
        index.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    if created:
        stdout.write(f"  {created} Vorhaben angelegt")

    link_tile(
        home,
        index,
        icon="participate",
        title="Mitmachen",
        text="Vorhaben der Stadt, Beteiligungen und Umfragen.",
    )

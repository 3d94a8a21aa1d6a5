"""Demo: one editor-built form (Wagtail form builder) for a service of the catalogue, to show
that editors can put a new service online without a developer. Like most services, it has no
application category of its own: its applications are "Sonstiger Antrag", and a routing rule
sends those about events to the Ordnungsamt."""

from portal.departments.models import Department
from portal.tickets.models import RoutingRule
from services.catalogue.models import ServiceIndexPage, ServicePage, Topic
from services.eforms.constants import SOURCE_KIND
from services.eforms.models import ServiceFormField, ServiceFormPage
from services.eforms.services import application_category

SERVICE_SLUG = "veranstaltung-anzeigen"
FIELDS = [
    # label, type, required, choices, help text
    ("Name der Veranstaltung", "singleline", True, "", ""),
    ("Art der Veranstaltung", "dropdown", True, "Straßenfest\nFlohmarkt\nUmzug\nsonstiges", ""),
    ("Datum", "date", True, "", ""),
    ("Ort (Straße, Platz)", "singleline", True, "", "z. B. Marktplatz oder Ruhrstraße 1–20"),
    ("Erwartete Besucherzahl", "number", True, "", ""),
    ("Lageplan", "datei", False, "", "PDF oder Foto, höchstens 10 MB"),
    ("Hinweise", "multiline", False, "", ""),
]


def load(stdout) -> None:
    index = ServiceIndexPage.objects.first()
    office = Department.objects.filter(short_name="OA").first()
    if index is None or office is None:
        return
    RoutingRule.objects.get_or_create(
        name="Sonstige Anträge zu Veranstaltungen an das Ordnungsamt",
        defaults={
            "position": 40,
            "source_kind": SOURCE_KIND,
            "category": application_category(None),
            "keyword": "Veranstaltung",
            "department": office,
        },
    )
    service = ServicePage.objects.child_of(index).filter(slug=SERVICE_SLUG).first()
    if service is None:
        service = ServicePage(
            title="Veranstaltung im öffentlichen Raum anzeigen",
            slug=SERVICE_SLUG,
            teaser="Straßenfest, Flohmarkt oder Umzug online anzeigen – mit Lageplan.",
            body="<p>Zeigen Sie Ihre Veranstaltung spätestens vier Wochen vorher an. Das "
            "Ordnungsamt meldet sich, wenn weitere Erlaubnisse nötig sind.</p>",
            department=office,
            is_online=True,
            has_fee=False,
            processing_time="etwa 2 Wochen",
            legal_basis="Ordnungsbehördliche Verordnung der Stadt Schwerte",
        )
        service.topics = list(Topic.objects.filter(slug="bildung-und-kultur"))
        index.add_child(instance=service)
        service.save_revision().publish()
        stdout.write("  Demo-Formular aus dem Formular-Baukasten angelegt")
    if ServiceFormPage.objects.child_of(service).exists():
        return
    form_page = ServiceFormPage(
        title="Veranstaltung anzeigen",
        slug="antrag",
        intro="<p>Dieses Formular wurde im Formular-Baukasten des Redaktionssystems erstellt.</p>",
    )
    form_page.form_fields = [
        ServiceFormField(
            label=label, field_type=kind, required=required, choices=choices, help_text=help_text
        )
        for label, kind, required, choices, help_text in FIELDS
    ]
    service.add_child(instance=form_page)
    form_page.save_revision().publish()

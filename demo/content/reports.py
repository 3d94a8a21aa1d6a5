"""Demo Mängelmeldungen in Schwerte, routed and partly handled, so that list, map and the
clerks' queue have something to show. No personal data."""

from decimal import Decimal

from portal.tickets.constants import TicketStatus
from portal.tickets.models import AttributeDatatype, Category, CategoryAttribute
from portal.tickets.services import ticket_accept, ticket_change_status, ticket_route
from services.reports.models import Report
from services.reports.services import report_publish, report_submit

REPORTS = [
    # category slug, description, address, lat, lon, final status
    ("beleuchtung", "Die Straßenlaterne vor dem Rathaus bleibt abends dunkel.",
     "Rathausstraße 31", "51.442500", "7.565500", TicketStatus.IN_PROGRESS),
    ("strassenschaden", "Tiefes Schlagloch auf der rechten Fahrspur, Radfahrer weichen aus.",
     "Hüsingstraße 12", "51.444000", "7.568000", TicketStatus.RECEIVED),
    ("papierkorb", "Der Papierkorb an der Bushaltestelle quillt über.",
     "Große Marktstraße", "51.443200", "7.564000", TicketStatus.DONE),
    ("spielplatz", "Am Spielplatz ist die Kette der Schaukel gerissen.",
     "Letmather Straße", "51.415000", "7.560000", TicketStatus.IN_REVIEW),
    ("gruen", "Ein großer Ast hängt nach dem Sturm lose über dem Gehweg.",
     "Reichshofstraße", "51.429000", "7.518000", TicketStatus.IN_PROGRESS),
    ("verkehrszeichen", "Das Stoppschild an der Kreuzung ist umgefahren worden.",
     "Holzener Weg", "51.462000", "7.565000", TicketStatus.RECEIVED),
    ("stadtmobiliar", "Bei der Bank am Ruhrufer fehlen zwei Latten der Sitzfläche.",
     "Ruhrufer Villigst", "51.420000", "7.610000", TicketStatus.DONE),
    ("wilder-muell", "Sperrmüll wurde am Waldrand abgeladen: Matratzen und Farbeimer.",
     "Geisecker Talstraße", "51.445000", "7.640000", TicketStatus.IN_REVIEW),
]  # fmt: skip

# Zusatzfragen: category slug → (code, question, datatype, required, hint, answers)
ATTRIBUTES = {
    "beleuchtung": [
        ("leuchtennummer", "Leuchtennummer", AttributeDatatype.STRING, False,
         "Steht meist auf einem Schild am Mast, z. B. „SW-1234“.", []),
        ("schaden", "Art des Schadens", AttributeDatatype.SINGLEVALUELIST, True, "",
         [("dunkel", "Leuchte dunkel"), ("flackert", "Leuchte flackert"),
          ("tagsueber", "Leuchte brennt tagsüber")]),
    ],
    "wilder-muell": [
        ("abfall", "Was wurde abgeladen?", AttributeDatatype.MULTIVALUELIST, False,
         "Mehrere Antworten möglich.",
         [("sperrmuell", "Sperrmüll"), ("bauschutt", "Bauschutt"),
          ("elektro", "Elektrogeräte"), ("sonder", "Farben, Öl oder andere Sonderabfälle")]),
    ],
}  # fmt: skip

# answers of the demo reports to the required questions
ANSWERS = {"beleuchtung": {"schaden": "dunkel"}}

PATHS = {
    TicketStatus.RECEIVED: [],
    TicketStatus.IN_REVIEW: [TicketStatus.IN_REVIEW],
    TicketStatus.IN_PROGRESS: [TicketStatus.IN_REVIEW, TicketStatus.IN_PROGRESS],
    TicketStatus.DONE: [TicketStatus.IN_REVIEW, TicketStatus.IN_PROGRESS, TicketStatus.DONE],
}


def load_attributes(stdout) -> None:
    """The demo Zusatzfragen, for categories that have none yet."""
    for slug, questions in ATTRIBUTES.items():
        category = Category.objects.filter(slug=slug).first()
        if category is None or category.attributes.exists():
            continue
        for position, (code, question, datatype, required, hint, answers) in enumerate(questions):
            CategoryAttribute.objects.create(
                category=category,
                sort_order=position,
                code=code,
                description=question,
                datatype=datatype,
                required=required,
                datatype_description=hint,
                values=[{"key": key, "name": name} for key, name in answers],
            )
        stdout.write(f"  Zusatzfragen für „{category.name}“ angelegt")


def load(stdout) -> None:
    load_attributes(stdout)
    if Report.objects.exists():
        return
    for slug, description, address, lat, lon, status in REPORTS:
        category = Category.objects.filter(slug=slug).first()
        if category is None:
            continue
        report = report_submit(
            category=category,
            description=description,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            address=address,
            attributes=ANSWERS.get(slug, {}),
        )
        if not report.is_published:
            report_publish(report=report)
        ticket = ticket_route(ticket_id=report.ticket_id)
        for step in PATHS[status]:
            if step == TicketStatus.IN_REVIEW:
                ticket = ticket_accept(ticket=ticket, actor=None)
            else:
                ticket = ticket_change_status(ticket=ticket, actor=None, status=step)
    stdout.write(f"  {Report.objects.count()} Mängelmeldungen angelegt")

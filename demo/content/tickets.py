"""Demo categories and routing rules for Schwerte (the categories the cities name)."""

from portal.departments.models import Department
from portal.tickets.constants import PublishMode
from portal.tickets.models import Category, ReplyTemplate, RoutingRule, RoutingSettings

CATEGORIES = [
    # slug, name, icon, department short name, SLA working days, publish mode
    ("strassenschaden", "Straßenschäden / Schlagloch", "road", "TBA", 10, PublishMode.IMMEDIATE),
    ("beleuchtung", "Straßenbeleuchtung defekt", "lamp", "SWS", 5, PublishMode.IMMEDIATE),
    (
        "wilder-muell",
        "Wilder Müll / illegale Ablagerung",
        "trash",
        "TBS",
        3,
        PublishMode.AFTER_REVIEW,
    ),
    ("papierkorb", "Überfüllter Papierkorb", "bin", "TBS", 2, PublishMode.IMMEDIATE),
    ("gruen", "Grünflächen und Bäume", "tree", "GFA", 10, PublishMode.IMMEDIATE),
    ("spielplatz", "Spielplatz", "playground", "GFA", 5, PublishMode.IMMEDIATE),
    ("verkehrszeichen", "Verkehrszeichen / Ampel", "sign", "TBA", 5, PublishMode.IMMEDIATE),
    ("graffiti", "Graffiti", "spray", "TBS", 15, PublishMode.AFTER_REVIEW),
    ("stadtmobiliar", "Stadtmobiliar (Bank, Poller)", "bench", "TBA", 15, PublishMode.IMMEDIATE),
    ("angstraum", "Angstraum / unsicherer Ort", "alert", "KOD", 5, PublishMode.AFTER_REVIEW),
    ("allgemein", "Allgemeine Anfrage", "chat", "BB", 10, PublishMode.AFTER_REVIEW),
    ("sonstiges", "Sonstiges", "more", None, 10, PublishMode.AFTER_REVIEW),
]

RULES = [
    # position, name, category slug, keyword, department short name
    (10, "Landesstraßen gehen an Straßen.NRW", "strassenschaden", "B 236", "SNRW"),
    (20, "Barrierefreiheit an die Stabsstelle", "barrierefreiheit", "", "BTG"),
    (30, "Müll an Bushaltestellen: KOD prüft zuerst", "wilder-muell", "Haltestelle", "KOD"),
]

REPLIES = [
    ("in_pruefung", "Vielen Dank für Ihr Anliegen. Wir prüfen es und melden uns."),
    ("in_bearbeitung", "Ihr Anliegen ist in Bearbeitung. Wir kümmern uns darum."),
    ("erledigt", "Ihr Anliegen ist erledigt. Vielen Dank für Ihren Hinweis!"),
]


def load(stdout) -> None:
    departments = {d.short_name: d for d in Department.objects.all()}
    for position, (slug, name, icon, dept, sla, mode) in enumerate(CATEGORIES, start=1):
        category, created = Category.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "icon": icon,
                "default_department": departments.get(dept),
                "sla_days": sla,
                "publish_mode": mode,
                "sort_order": position * 10,
            },
        )
        if created:
            for status, text in REPLIES:
                ReplyTemplate.objects.create(category=category, status=status, text=text)
    accessibility = Category.objects.filter(slug="barrierefreiheit").first()
    if accessibility is not None and accessibility.default_department is None:
        accessibility.default_department = departments.get("BTG")
        accessibility.save(update_fields=["default_department"])
    for position, name, category_slug, keyword, dept in RULES:
        RoutingRule.objects.get_or_create(
            name=name,
            defaults={
                "position": position,
                "category": Category.objects.filter(slug=category_slug).first(),
                "keyword": keyword,
                "department": departments[dept],
            },
        )
    routing = RoutingSettings.load()
    if routing.fallback_department_id is None:
        routing.fallback_department = departments["BB"]
        routing.save()

"""The demo Leistungskatalog of Schwerte: Lebenslagen, services, the application categories of
the four code-defined forms, and the entry on the home page. Safe to load again."""

import json
from decimal import Decimal

from django.db.models import Q
from wagtail.models import Page

from portal.cms.models import HomePage
from portal.departments.models import Department, DepartmentKind
from portal.tickets.constants import CategoryKind, PublishMode
from portal.tickets.models import Category
from services.catalogue.models import ServiceIndexPage, ServicePage, Topic

from ..home import link_tile
from .data import (
    APPLICATION_CATEGORIES,
    DEPARTMENTS,
    FORM_BUECHEREIAUSWEIS,
    FORM_FLURKARTE,
    FORM_PERSONENSTANDSURKUNDE,
    FORM_SPERRMUELL,
    SERVICES,
    TOPICS,
)

__all__ = [
    "FORM_BUECHEREIAUSWEIS",
    "FORM_FLURKARTE",
    "FORM_PERSONENSTANDSURKUNDE",
    "FORM_SPERRMUELL",
    "load",
]

INDEX_SLUG = "leistungen"


def _department(name: str, short_name: str, email: str) -> Department:
    found = Department.objects.filter(Q(name=name) | Q(short_name=short_name)).first()
    return found or Department.objects.create(
        name=name, short_name=short_name, email=email, kind=DepartmentKind.OFFICE
    )


def _index(home: HomePage, stdout) -> ServiceIndexPage:
    index = ServiceIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=ServiceIndexPage(
                title="Leistungen A–Z",
                slug=INDEX_SLUG,
                # reached through the home page's "Online-Dienste" tile; the main menu
                # is full already
                show_in_menus=False,
                seo_title="Leistungen der Stadtverwaltung von A bis Z",
                intro="Was Sie bei der Stadt Schwerte erledigen können: was schon online "
                "geht, was es kostet und was Sie mitbringen müssen.",
            )
        )
        stdout.write("  Leistungskatalog angelegt")
    return index


def load(stdout) -> None:
    home = HomePage.objects.first()
    if home is None:
        return
    departments = {d.short_name: d for d in Department.objects.all()}
    for name, short_name, email in DEPARTMENTS:
        department = _department(name, short_name, email)
        departments[short_name] = department

    topics = {}
    for position, (slug, name, icon, description) in enumerate(TOPICS, start=1):
        topics[slug], _ = Topic.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "icon": icon,
                "description": description,
                "sort_order": position * 10,
            },
        )

    categories = {}
    for key, (slug, name, short_name, sla_days, icon) in APPLICATION_CATEGORIES.items():
        categories[key], _ = Category.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": CategoryKind.APPLICATION,
                "default_department": departments[short_name],
                "sla_days": sla_days,
                "icon": icon,
                "publish_mode": PublishMode.AFTER_REVIEW,
                "sort_order": 500,
            },
        )

    index = _index(home, stdout)
    existing = set(Page.objects.child_of(index).values_list("slug", flat=True))
    created = 0
    for entry in SERVICES:
        if entry["slug"] in existing:
            continue
        external_url, external_name = entry.get("external", ("", ""))
        form_key = entry.get("form_key", "")
        page = ServicePage(
            title=entry["title"],
            slug=entry["slug"],
            teaser=entry["teaser"],
            body=entry["body"],
            department=departments[entry["department"]],
            is_online=entry["is_online"],
            has_fee=entry["has_fee"],
            has_epayment=entry.get("has_epayment", False),
            fee_amount=Decimal(entry["fee_amount"]) if entry.get("fee_amount") else None,
            fee_text=entry.get("fee_text", ""),
            required_documents=json.dumps(entry["documents"]),
            processing_time=entry["processing_time"],
            legal_basis=entry["legal_basis"],
            external_url=external_url,
            external_portal_name=external_name,
            form_key=form_key,
            category=categories.get(form_key),
        )
        page.topics = [topics[slug] for slug in entry["topics"]]
        index.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    if created:
        stdout.write(f"  {created} Leistungen angelegt")

    link_tile(
        home,
        index,
        icon="service",
        title="Leistungen A–Z",
        text="Anträge stellen, Urkunden bestellen und online bezahlen.",
    )

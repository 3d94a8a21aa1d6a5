"""Projects and phases for the participation tests (shared by projects, contributions, polls,
following).

    index = project_index()                       # the Vorhabenliste (created once per test DB)
    vorhaben = project(title="Neuer Spielplatz")  # a published ProjectPage under it
    phase(vorhaben, modules=[Module.IDEAS, Module.COMMENTS], intensity=Intensity.CONSULTATION)

`phase(..., running=...)`: True = runs now (started 7 days ago, ends in 30 days), "past" or False =
ended yesterday, "future" = starts tomorrow. Pass `starts_at` / `ends_at` to set dates yourself.
Dates are relative to `timezone.now()` when the phase is created (time-machine friendly).
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from wagtail.models import Page, Site

from participation.projects.constants import Intensity, Module, ProjectStatus
from participation.projects.models import FieldOfAction, Phase, ProjectIndexPage, ProjectPage

_numbers = itertools.count(1)

ALL_MODULES = [Module.IDEAS, Module.COMMENTS, Module.RATINGS, Module.POLLS]


def home_page():
    """The default Site's root page as a cms HomePage (created and made the root if needed)."""
    from portal.cms.models import HomePage

    site = Site.objects.get(is_default_site=True)
    root = site.root_page.specific
    if isinstance(root, HomePage):
        return root
    home = HomePage.objects.first()
    if home is None:
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title="Bürgerportal", slug="start")
        )
    site.root_page = home
    site.save(update_fields=["root_page"])
    return home


def project_index(**fields) -> ProjectIndexPage:
    """The Vorhabenliste under the home page; the existing one if there is one (max one)."""
    existing = ProjectIndexPage.objects.first()
    if existing is not None:
        return existing
    fields.setdefault("title", "Vorhabenliste")
    fields.setdefault("slug", "vorhabenliste")
    return home_page().add_child(instance=ProjectIndexPage(**fields))


def field_of_action(code: str | None = None, name: str | None = None) -> FieldOfAction:
    number = next(_numbers)
    code = code or f"HF {number:03d}"
    obj, _ = FieldOfAction.objects.get_or_create(
        code=code, defaults={"name": name or f"Handlungsfeld {number}"}
    )
    return obj


def build_project(**fields) -> ProjectPage:
    """An unsaved ProjectPage with sensible defaults (districts are set by `project()`)."""
    number = next(_numbers)
    fields.setdefault("title", f"Vorhaben {number}")
    fields.setdefault("slug", f"vorhaben-{number}")
    fields.setdefault("summary", "Ein Vorhaben der Stadt Schwerte.")
    fields.setdefault("status", ProjectStatus.PLANNING)
    if isinstance(fields.get("cost"), (int, float, str)):
        fields["cost"] = Decimal(str(fields["cost"]))
    for name in ("latitude", "longitude"):
        if isinstance(fields.get(name), (int, float, str)):
            fields[name] = Decimal(str(fields[name]))
    return ProjectPage(**fields)


def project(*, parent=None, districts=(), live=True, **fields) -> ProjectPage:
    """A ProjectPage under the Vorhabenliste (published unless live=False).

    `districts`: District objects; every other keyword is a ProjectPage field.
    """
    page = build_project(**fields)
    page.live = live
    (parent or project_index()).add_child(instance=page)
    if districts:
        page.districts.set(list(districts))
        page.save()
    return page


def phase(
    project: ProjectPage,
    *,
    modules=None,
    intensity: str = Intensity.CONSULTATION,
    running: bool | str = True,
    **fields,
) -> Phase:
    """A phase of `project` (saved). `modules` defaults to all four modules."""
    now = timezone.now()
    if running is True:
        starts, ends = now - timedelta(days=7), now + timedelta(days=30)
    elif running in (False, "past"):
        starts, ends = now - timedelta(days=30), now - timedelta(days=1)
    elif running == "future":
        starts, ends = now + timedelta(days=1), now + timedelta(days=30)
    else:
        raise ValueError(f"running must be True, False, 'past' or 'future', not {running!r}")
    fields.setdefault("starts_at", starts)
    fields.setdefault("ends_at", ends)
    fields.setdefault("name", f"Phase {next(_numbers)}")
    modules = ALL_MODULES if modules is None else modules
    sort_order = fields.pop("sort_order", None)
    if sort_order is None:
        sort_order = Phase.objects.filter(project=project).count()
    return Phase.objects.create(
        project=project,
        intensity=str(intensity),
        modules=[str(module) for module in modules],
        sort_order=sort_order,
        **fields,
    )


def many_projects(count: int, *, districts=(), field_of_action=None, department=None, **fields):
    """`count` published projects with everything a list shows filled in (districts,
    Handlungsfeld, department, coordinates, counters, a running phase on every other one),
    for query-count tests. Relations are bulk-inserted; the pages themselves are not."""
    from participation.projects.models import ProjectStatistics

    index = project_index()
    pages = []
    for number in range(count):
        pages.append(
            project(
                parent=index,
                field_of_action=field_of_action,
                department=department,
                latitude=Decimal("51.44") + Decimal(number % 50) / 1000,
                longitude=Decimal("7.56") + Decimal(number % 40) / 1000,
                **fields,
            )
        )
    through = ProjectPage.districts.through
    through.objects.bulk_create(
        [
            through(projectpage_id=page.pk, district_id=district.pk)
            for page in pages
            for district in districts
        ]
    )
    ProjectStatistics.objects.bulk_create(
        [ProjectStatistics(project_id=page.pk, contributions_online=3) for page in pages]
    )
    now = timezone.now()
    Phase.objects.bulk_create(
        [
            Phase(
                project_id=page.pk,
                name="Konsultation",
                intensity=Intensity.CONSULTATION,
                starts_at=now - timedelta(days=1),
                ends_at=now + timedelta(days=30),
                modules=[str(Module.IDEAS)],
                sort_order=0,
            )
            for page in pages[::2]
        ]
    )
    return pages

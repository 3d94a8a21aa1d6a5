"""Reads of the projects app. Every list is a fixed number of queries however many projects the
city has: Handlungsfeld, department, counters and districts come with the list, never per row."""

from __future__ import annotations

import re
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from portal.departments.models import District

from .constants import ProjectStatus
from .models import (
    FieldOfAction,
    Phase,
    ProjectEvent,
    ProjectIndexPage,
    ProjectPage,
    ProjectStatistics,
    ProjectUpdate,
)


def phases_open(*, moment: datetime | None = None) -> QuerySet[Phase]:
    """Phases running at `moment` that switch at least one module on: people can take part."""
    moment = moment or timezone.now()
    return Phase.objects.filter(starts_at__lte=moment, ends_at__gt=moment).exclude(modules=[])


def project_list_public(
    *, index: ProjectIndexPage | None = None, moment: datetime | None = None
) -> QuerySet[ProjectPage]:
    """Published projects anyone may see, A–Z, each with `participation_open` (a phase with
    modules is running), its Handlungsfeld and districts.

    Only projects below a published Vorhabenliste count: unpublishing the list takes its
    projects off the public list, the map, the export and the API.
    """
    projects = ProjectPage.objects.live().public()
    if index is not None:
        projects = projects.descendant_of(index)
    else:
        paths = list(ProjectIndexPage.objects.live().public().values_list("path", flat=True))
        below_any = Q(pk__in=[])
        for path in paths:
            below_any |= Q(path__startswith=path)
        projects = projects.filter(below_any)
    return (
        projects.annotate(
            participation_open=Exists(phases_open(moment=moment).filter(project_id=OuterRef("pk")))
        )
        .select_related("field_of_action")
        .prefetch_related(Prefetch("districts", queryset=_districts()))
        .order_by(Lower("title"), "pk")
    )


def _districts() -> QuerySet[District]:
    # names only: the areas are large polygons nobody here needs
    return District.objects.only("id", "name").order_by("name")


def project_with_details(projects: QuerySet[ProjectPage]) -> QuerySet[ProjectPage]:
    """The projects with their department and counters, for the export and the API."""
    return projects.select_related("department", "statistics")


def project_list_filtered(
    *,
    projects: QuerySet[ProjectPage] | None = None,
    index: ProjectIndexPage | None = None,
    query: str = "",
    status: str = "",
    district_id: int | None = None,
    field_of_action_id: int | None = None,
    open_participation: bool | None = None,
) -> QuerySet[ProjectPage]:
    """The public list (or the given part of it) with the Vorhabenliste's filters; empty values
    and None mean "any"."""
    if projects is None:
        projects = project_list_public(index=index)
    if status:
        projects = projects.filter(status=status)
    if district_id is not None:
        projects = projects.filter(districts__id=district_id)
    if field_of_action_id is not None:
        projects = projects.filter(field_of_action_id=field_of_action_id)
    if open_participation is not None:
        projects = projects.filter(participation_open=open_participation)
    for word in query.split():
        projects = projects.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(location__icontains=word)
        )
    return projects


def project_with_phases(projects: QuerySet[ProjectPage]) -> QuerySet[ProjectPage]:
    """The projects with their phases in date order (one more query for the whole list)."""
    return projects.prefetch_related(
        Prefetch("phases", queryset=Phase.objects.order_by("starts_at", "sort_order"))
    )


def project_get_public(*, key: str) -> ProjectPage | None:
    """A published project by id (digits) or slug, with everything its API detail shows."""
    projects = project_with_details(project_with_phases(project_list_public())).prefetch_related(
        Prefetch("updates", queryset=ProjectUpdate.objects.order_by("-date", "-pk")),
        Prefetch("events", queryset=ProjectEvent.objects.order_by("starts_at", "pk")),
    )
    # ASCII digits only ("¹".isdigit() is true), and no more than a database key can hold
    lookup = {"pk": int(key)} if re.fullmatch(r"[0-9]{1,18}", key) else {"slug": key}
    return projects.filter(**lookup).first()


def project_statistics(project: ProjectPage) -> ProjectStatistics:
    """The project's counters; zeros (unsaved) while nobody has taken part yet."""
    try:
        return project.statistics
    except ProjectStatistics.DoesNotExist:
        return ProjectStatistics(project=project)


def district_choices() -> list[District]:
    return list(_districts())


def field_of_action_choices() -> list[FieldOfAction]:
    return list(FieldOfAction.objects.order_by("code"))


def project_map_features(projects: QuerySet[ProjectPage], *, index_url: str) -> dict:
    """The projects that have coordinates as GeoJSON points, for the Vorhabenliste's map.

    Read as plain values: a map of a thousand projects needs no page objects. Projects are
    children of the Vorhabenliste, so their address is the list's address and their slug.
    """
    labels = dict(ProjectStatus.choices)
    rows = projects.filter(latitude__isnull=False, longitude__isnull=False).values(
        "pk", "title", "slug", "status", "location", "latitude", "longitude", "participation_open"
    )
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [float(row["longitude"]), float(row["latitude"])],
            },
            "properties": {
                "id": row["pk"],
                "title": row["title"],
                "url": f"{index_url}{row['slug']}/",
                "status": row["status"],
                "status_label": str(labels.get(row["status"], row["status"])),
                "location": row["location"],
                "participation_open": bool(row["participation_open"]),
            },
        }
        for row in rows
    ]
    return {"type": "FeatureCollection", "features": features}

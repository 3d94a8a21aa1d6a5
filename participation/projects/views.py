"""The public pages of projects are Wagtail pages; this builds their context and serves the
Vorhabenliste's routes (export, map data)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.utils import timezone

from portal.core.links import page_absolute_url
from portal.core.pagecache import lazy_context, remembered

from .constants import Module
from .exports import export_csv, export_xlsx
from .forms import ProjectFilterForm
from .models import Phase
from .sections import page_context
from .selectors import (
    district_choices,
    field_of_action_choices,
    project_list_filtered,
    project_list_public,
    project_map_features,
    project_statistics,
    project_with_details,
)

PER_PAGE = 20
FILTER_PARAMS = ("q", "stand", "stadtteil", "handlungsfeld", "beteiligung")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _filtered(request, *, index):
    """The form of the list's filters and the projects they select."""
    districts = district_choices()
    fields_of_action = field_of_action_choices()
    form = ProjectFilterForm(request.GET, districts=districts, fields_of_action=fields_of_action)
    form.is_valid()  # a value that does not fit is left out of cleaned_data
    data = form.cleaned_data
    projects = project_list_filtered(
        projects=project_list_public(index=index),
        query=data.get("q", ""),
        status=data.get("stand", ""),
        district_id=data.get("stadtteil"),
        field_of_action_id=data.get("handlungsfeld"),
        open_participation=True if data.get("beteiligung") else None,
    )
    is_filtered = any(
        data.get(name) for name in ("q", "stand", "stadtteil", "handlungsfeld", "beteiligung")
    )
    return form, projects, is_filtered


def _filter_query(request) -> str:
    """The filters of the current address, for the export and map links (without the page)."""
    params = request.GET.copy()
    for name in list(params):
        if name not in FILTER_PARAMS:
            del params[name]
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


def map_settings() -> dict:
    latitude, longitude = settings.MAP_CENTER
    # strings: the template's German number format would write a decimal comma
    return {
        "tile_url": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "center": f"{float(latitude)},{float(longitude)}",
        "zoom": str(int(settings.MAP_ZOOM)),
    }


def project_index_context(request, *, index) -> dict:
    """Computed when first used: the list is a public part of the page (`{% public_part %}`)."""

    def compute():
        form, projects, is_filtered = _filtered(request, index=index)
        page_obj = Paginator(projects, PER_PAGE).get_page(request.GET.get("seite"))
        query = _filter_query(request)
        base = index.get_url(request)
        return {
            "filter_form": form,
            "page_obj": page_obj,
            "projects": list(page_obj.object_list),
            "result_count": page_obj.paginator.count,
            "is_filtered": is_filtered,
            "export_csv_url": base + index.reverse_subpage("export-csv") + query,
            "export_xlsx_url": base + index.reverse_subpage("export-xlsx") + query,
            "map_data_url": base + index.reverse_subpage("map-data") + query,
            "map": map_settings(),
        }

    return lazy_context(
        compute,
        *("filter_form", "page_obj", "projects", "result_count", "is_filtered"),
        *("export_csv_url", "export_xlsx_url", "map_data_url", "map"),
    )


def project_export(request, *, index, file_format: str) -> HttpResponse:
    _form, projects, _is_filtered = _filtered(request, index=index)
    writer = export_csv if file_format == "csv" else export_xlsx
    index_url = page_absolute_url(index, request)
    content = writer(list(project_with_details(projects)), index_url=index_url)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    filename = f"vorhabenliste-{timezone.localdate():%Y-%m-%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def project_map_data(request, *, index) -> JsonResponse:
    _form, projects, _is_filtered = _filtered(request, index=index)
    features = project_map_features(projects, index_url=index.get_url(request))
    response = JsonResponse(features)
    # a running phase starts or ends on the minute; a short shared cache is enough
    response["Cache-Control"] = "public, max-age=60"
    return response


def _phases_of(project) -> list:
    # without the page on each row: what is kept is pickled, the rows get the page again on use
    return list(Phase.objects.filter(project_id=project.pk).order_by("starts_at", "sort_order"))


def project_page_context(request, *, project) -> dict:
    """The project page: timeline, updates, events, counters, and the sections of the
    participation apps (contributions, polls: registered in `sections`), which reuse the phases
    loaded here."""
    if project.pk is None or getattr(project, "_cluster_related_objects", None):
        project.prefetch_parts("phases")  # a preview: the parts being edited
    else:  # public rows: kept by each process until anything public changes
        project.use_phases(
            remembered(request, f"projects:phases:{project.pk}", lambda: _phases_of(project))
        )
    now = timezone.now()
    # sorted here too: in a preview the parts come from the editor's form, not a query
    phases = sorted(project.phases.all(), key=lambda p: (p.starts_at, p.sort_order or 0))
    for phase in phases:
        phase.timeline_state = phase.state(now)
    current = next((phase for phase in phases if phase.timeline_state == "running"), None)
    context = {
        "phases": phases,
        "current_phase": current,
        "participation_open": current is not None and bool(current.modules),
        # read when the public parts of the page are rendered ({% public_part %})
        **lazy_context(
            lambda: {
                "updates": sorted(
                    project.updates.all(), key=lambda u: (u.date, u.pk or 0), reverse=True
                ),
                "events": sorted(project.events.all(), key=lambda e: (e.starts_at, e.pk or 0)),
                "districts": sorted(project.districts.all(), key=lambda d: d.name),
                "statistics": project_statistics(project),
            },
            *("updates", "events", "districts", "statistics"),
        ),
        "modules": Module,
        # the key of the page as a public part (only the follow panel is rendered for each
        # viewer): the participation sections' keys where the page shows them
        "page_key": "",
    }
    if project.pk is None:
        return context  # the preview of a new project: nobody can have taken part yet
    if project.participation_planned or phases:  # the page shows the participation sections
        # with the viewer's standing (what the permission checks ask) in one query
        context.update(page_context(project=project, request=request))
    if context["page_key"] is not None:
        context["page_key"] = f"page:{context['page_key']}"
    return context

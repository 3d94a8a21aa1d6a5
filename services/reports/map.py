"""Reads for the map of published reports: the reports in a bounding box as GeoJSON, clustered
on a grid when zoomed out, so that no response carries more than `MAX_FEATURES` features however
many reports there are. The clusters of the coarser grid levels are counted in advance
(ReportMapCell, see clusters.py), so that a view of the whole city costs the same for ten
thousand reports as for a million. Never personal data."""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db.models import Avg, Count, F, FloatField, Min, QuerySet, Value
from django.db.models.functions import Cast, Floor
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape

from portal.departments.models import District
from portal.tickets.constants import CLOSED_STATUSES, OPEN_STATUSES
from portal.tickets.models import Category

from .models import Report, ReportMapCell
from .selectors import report_list_public

MAX_FEATURES = 500
# from this zoom on, single reports are shown (unless there are more than MAX_FEATURES)
SINGLE_FROM_ZOOM = 15
# grid levels up to this one are counted in advance (ReportMapCell, kept by clusters.py); finer
# ones only occur for small boxes and are counted from the reports in them
PRECOMPUTED_MAX_LEVEL = SINGLE_FROM_ZOOM - 1
MIN_ZOOM, MAX_ZOOM = 0, 22
STATUSES = ("offen", "erledigt")


class MapQueryError(ValueError):
    """A parameter the map cannot work with; the message is German and shown to the caller."""


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    def clamp(self, other: "BBox") -> "BBox | None":
        """The part of this box inside `other`, or None if they do not meet."""
        west, east = max(self.west, other.west), min(self.east, other.east)
        south, north = max(self.south, other.south), min(self.north, other.north)
        if west > east or south > north:
            return None
        return BBox(west, south, east, north)


@dataclass(frozen=True)
class MapQuery:
    bbox: BBox
    zoom: int
    category: str = ""
    status: str = ""
    district_id: int | None = None
    days: int | None = None


def map_query_parse(params) -> MapQuery:
    """The endpoint's query string → MapQuery; raises MapQueryError with a German message."""
    try:
        west, south, east, north = (Decimal(part) for part in params.get("bbox", "").split(","))
    except (InvalidOperation, ValueError) as exc:
        raise MapQueryError(
            _("Der Kartenausschnitt „bbox“ fehlt oder ist ungültig. Erwartet: West,Süd,Ost,Nord.")
        ) from exc
    if not all(value.is_finite() for value in (west, south, east, north)) or not (
        -180 <= west < east <= 180 and -90 <= south < north <= 90
    ):
        raise MapQueryError(_("Der Kartenausschnitt „bbox“ liegt außerhalb des gültigen Bereichs."))
    try:
        zoom = int(params.get("zoom", ""))
    except ValueError as exc:
        raise MapQueryError(_("Die Zoomstufe „zoom“ fehlt oder ist keine ganze Zahl.")) from exc
    if not MIN_ZOOM <= zoom <= MAX_ZOOM:
        raise MapQueryError(
            _("Die Zoomstufe „zoom“ muss zwischen %(min)d und %(max)d liegen.")
            % {"min": MIN_ZOOM, "max": MAX_ZOOM}
        )
    status = params.get("status", "")
    if status and status not in STATUSES:
        raise MapQueryError(_("Der Status muss „offen“ oder „erledigt“ sein."))
    district_id = days = None
    try:
        if params.get("district"):
            district_id = int(params["district"])
        if params.get("days"):
            days = int(params["days"])
    except ValueError as exc:
        raise MapQueryError(_("Stadtteil und Zeitraum müssen ganze Zahlen sein.")) from exc
    return MapQuery(
        bbox=BBox(float(west), float(south), float(east), float(north)),
        zoom=zoom,
        category=params.get("category", ""),
        status=status,
        district_id=district_id,
        days=days,
    )


def city_bbox() -> BBox | None:
    """The box around all districts, or None if there are none (then nothing is clamped)."""
    boxes = [shape(area).bounds for area in District.objects.values_list("area", flat=True)]
    if not boxes:
        return None
    return BBox(
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _reports_in(query: MapQuery, bbox: BBox) -> QuerySet[Report]:
    reports = report_list_public().filter(
        ticket__isnull=False,
        latitude__range=(_decimal(bbox.south), _decimal(bbox.north)),
        longitude__range=(_decimal(bbox.west), _decimal(bbox.east)),
    )
    if query.category:
        reports = reports.filter(category__slug=query.category)
    if query.status == "offen":
        reports = reports.filter(ticket__status__in=OPEN_STATUSES)
    elif query.status == "erledigt":
        reports = reports.filter(ticket__status__in=CLOSED_STATUSES)
    if query.district_id is not None:
        reports = reports.filter(ticket__district_id=query.district_id)
    if query.days:
        reports = reports.filter(
            created_at__gte=timezone.now() - datetime.timedelta(days=query.days)
        )
    return reports


def _decimal(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.000001"))


def cell_size(level: int) -> tuple[float, float]:
    """Cell height and width in degrees at a grid level: a quarter of a 256-px tile at zoom
    `level`. Latitude steps are shortened by cos(latitude) of the city so that cells look square
    on the (Mercator) map. Each level's cells halve the previous level's exactly (powers of two),
    so a cell of level L − 1 is made of four cells of level L."""
    cell_lon = 360 / 2**level / 4
    return cell_lon * math.cos(math.radians(settings.MAP_CENTER[0])), cell_lon


def grid_level(zoom: int, bbox: BBox) -> int:
    """The grid level for a view: the zoom, made coarser until the box holds at most
    MAX_FEATURES cells. It depends only on the zoom, the box's size and the setting, so clusters
    stay put while the map is panned."""
    level = zoom
    while level > 0:
        cell_lat, cell_lon = cell_size(level)
        rows = math.floor(bbox.north / cell_lat) - math.floor(bbox.south / cell_lat) + 1
        cols = math.floor(bbox.east / cell_lon) - math.floor(bbox.west / cell_lon) + 1
        if rows * cols <= MAX_FEATURES:
            break
        level -= 1
    return level


def grid_cell(zoom: int, bbox: BBox) -> tuple[float, float]:
    """Cell height and width in degrees for a view (see grid_level)."""
    return cell_size(grid_level(zoom, bbox))


def cell_of(latitude: float, longitude: float, level: int) -> tuple[int, int]:
    """The (row, column) of a point's cell; the same arithmetic as the database's."""
    cell_lat, cell_lon = cell_size(level)
    return math.floor(latitude / cell_lat), math.floor(longitude / cell_lon)


def report_map_features(query: MapQuery) -> dict:
    """A GeoJSON FeatureCollection for the map: single reports, or clusters of them. A cluster
    covers a whole cell of the grid, also where the cell reaches beyond the box."""
    bbox = query.bbox
    city = city_bbox()
    if city is not None:
        bbox = bbox.clamp(city)
    if bbox is None:
        return _collection([])
    if query.zoom >= SINGLE_FROM_ZOOM:
        # in the order of the (latitude, longitude) index: PostgreSQL stops after MAX_FEATURES
        # + 1 reports instead of walking the primary key through a million
        singles = list(
            _with_properties(_reports_in(query, bbox)).order_by("latitude", "longitude", "pk")[
                : MAX_FEATURES + 1
            ]
        )
        if len(singles) <= MAX_FEATURES:
            return _collection([_report_feature(report) for report in singles])

    level = grid_level(query.zoom, bbox)
    if level <= PRECOMPUTED_MAX_LEVEL and not query.days:
        cells = _cells_precomputed(query, bbox, level)
    else:
        cells = _cells_live(query, bbox, level)
    # a "cluster" of one is shown as the report itself, with its popup
    lonely = {cell["first_pk"] for cell in cells if cell["count"] == 1}
    # published only: a cell counted before a report was hidden must not show it
    lonely_reports = Report.objects.filter(pk__in=lonely, is_published=True) if lonely else []
    singles = {r.pk: r for r in _with_properties(lonely_reports)} if lonely else {}
    features = []
    for cell in cells:
        report = singles.get(cell["first_pk"]) if cell["count"] == 1 else None
        if report is not None:
            features.append(_report_feature(report))
        else:
            features.append(_cluster_feature(cell))
    return _collection(features)


def _cell_range(bbox: BBox, level: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The rows and columns of the cells the box touches."""
    (south, west), (north, east) = (
        cell_of(bbox.south, bbox.west, level),
        cell_of(bbox.north, bbox.east, level),
    )
    return (south, north), (west, east)


def _cells_precomputed(query: MapQuery, bbox: BBox, level: int) -> list[dict]:
    """The cells from ReportMapCell: at most MAX_FEATURES rows, whatever the number of
    reports (grid_level keeps the box within that many cells)."""
    category_id = 0
    if query.category:
        category_id = Category.objects.filter(slug=query.category).values_list("pk", flat=True)
        category_id = next(iter(category_id), None)
        if category_id is None:
            return []
    rows, cols = _cell_range(bbox, level)
    cells = ReportMapCell.objects.filter(
        level=level,
        category_id=category_id,
        status=query.status,
        district_id=query.district_id or 0,
        cell_y__range=rows,
        cell_x__range=cols,
        count__gt=0,
    ).order_by("cell_y", "cell_x")
    return [
        {
            "cell_y": cell.cell_y,
            "cell_x": cell.cell_x,
            "count": cell.count,
            "avg_lat": cell.sum_latitude_e6 / cell.count / 1_000_000,
            "avg_lon": cell.sum_longitude_e6 / cell.count / 1_000_000,
            "first_pk": cell.sum_report_id,
        }
        for cell in cells
    ]


def _cells_live(query: MapQuery, bbox: BBox, level: int) -> list[dict]:
    """The cells counted from the reports now: for levels finer than the precomputed ones (the
    box is then small) and for a time window (`days`, served by the index on created_at)."""
    cell_lat, cell_lon = cell_size(level)
    (south, north), (west, east) = _cell_range(bbox, level)
    whole_cells = BBox(
        west * cell_lon, south * cell_lat, (east + 1) * cell_lon, (north + 1) * cell_lat
    )
    return list(
        _reports_in(query, whole_cells)
        .order_by()
        .annotate(
            cell_y=Floor(Cast(F("latitude"), FloatField()) / Value(cell_lat)),
            cell_x=Floor(Cast(F("longitude"), FloatField()) / Value(cell_lon)),
        )
        .filter(cell_y__range=(south, north), cell_x__range=(west, east))
        .values("cell_y", "cell_x")
        .annotate(
            count=Count("pk"),
            avg_lat=Avg(Cast(F("latitude"), FloatField())),
            avg_lon=Avg(Cast(F("longitude"), FloatField())),
            first_pk=Min("pk"),
        )
        .order_by("cell_y", "cell_x")
    )


def _with_properties(reports: QuerySet[Report]) -> QuerySet[Report]:
    return reports.select_related("category", "ticket", "ticket__duplicate_of")


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def _point(latitude, longitude) -> dict:
    # GeoJSON (RFC 7946): longitude first; six places are about 10 cm
    return {"type": "Point", "coordinates": [round(float(longitude), 6), round(float(latitude), 6)]}


def _report_feature(report: Report) -> dict:
    ticket = report.ticket
    return {
        "type": "Feature",
        "id": ticket.number,
        "geometry": _point(report.latitude, report.longitude),
        "properties": {
            "number": ticket.number,
            "category": report.category.name,
            "status_label": str(ticket.public_status_label),
            "traffic_light": str(ticket.traffic_light),
            "url": reverse("reports:detail", args=[ticket.number]),
        },
    }


def _cluster_feature(cell: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": _point(cell["avg_lat"], cell["avg_lon"]),
        "properties": {"cluster": True, "count": cell["count"]},
    }

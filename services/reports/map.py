"""Reads for the map of published reports: the reports in a bounding box as GeoJSON, clustered
on a grid in the database when zoomed out, so that no response carries more than
`MAX_FEATURES` features however many reports there are. Never personal data."""

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

from .models import Report
from .selectors import report_list_public

MAX_FEATURES = 500
# from this zoom on, single reports are shown (unless there are more than MAX_FEATURES)
SINGLE_FROM_ZOOM = 15
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


def grid_cell(zoom: int, bbox: BBox) -> tuple[float, float]:
    """Cell height and width in degrees: a quarter of a 256-px tile at this zoom, made coarser
    until the box holds at most MAX_FEATURES cells. Latitude steps are shortened by cos(latitude)
    of the city so that cells look square on the (Mercator) map; both depend only on the zoom and
    the setting, so clusters stay put while the map is panned."""
    cell_lon = 360 / 2**zoom / 4
    shrink = math.cos(math.radians(settings.MAP_CENTER[0]))
    while True:
        cell_lat = cell_lon * shrink
        rows = math.floor(bbox.north / cell_lat) - math.floor(bbox.south / cell_lat) + 1
        cols = math.floor(bbox.east / cell_lon) - math.floor(bbox.west / cell_lon) + 1
        if rows * cols <= MAX_FEATURES:
            return cell_lat, cell_lon
        cell_lon *= 2


def report_map_features(query: MapQuery) -> dict:
    """A GeoJSON FeatureCollection for the map: single reports, or clusters of them."""
    bbox = query.bbox
    city = city_bbox()
    if city is not None:
        bbox = bbox.clamp(city)
    if bbox is None:
        return _collection([])
    reports = _reports_in(query, bbox)
    if query.zoom >= SINGLE_FROM_ZOOM:
        singles = list(_with_properties(reports).order_by("pk")[: MAX_FEATURES + 1])
        if len(singles) <= MAX_FEATURES:
            return _collection([_report_feature(report) for report in singles])

    cell_lat, cell_lon = grid_cell(query.zoom, bbox)
    cells = list(
        reports.order_by()
        .annotate(
            cell_y=Floor(Cast(F("latitude"), FloatField()) / Value(cell_lat)),
            cell_x=Floor(Cast(F("longitude"), FloatField()) / Value(cell_lon)),
        )
        .values("cell_y", "cell_x")
        .annotate(
            count=Count("pk"),
            avg_lat=Avg(Cast(F("latitude"), FloatField())),
            avg_lon=Avg(Cast(F("longitude"), FloatField())),
            first_pk=Min("pk"),
        )
        .order_by("cell_y", "cell_x")
    )
    # a "cluster" of one is shown as the report itself, with its popup
    lonely = {cell["first_pk"] for cell in cells if cell["count"] == 1}
    singles = {r.pk: r for r in _with_properties(Report.objects.filter(pk__in=lonely))}
    features = []
    for cell in cells:
        report = singles.get(cell["first_pk"]) if cell["count"] == 1 else None
        if report is not None:
            features.append(_report_feature(report))
        else:
            features.append(_cluster_feature(cell))
    return _collection(features)


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

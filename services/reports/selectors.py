"""Reads of the Mängelmelder. Distances without a GIS database: a bounding box the index can use,
then the exact great-circle distance in Python."""

import math
from decimal import Decimal

from django.db.models import QuerySet

from portal.tickets.constants import OPEN_STATUSES

from .models import Report

EARTH_RADIUS_M = 6_371_000


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bounding_box(lat: float, lon: float, radius_m: float) -> tuple[Decimal, ...]:
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = math.degrees(radius_m / (EARTH_RADIUS_M * math.cos(math.radians(lat))))
    q = Decimal("0.000001")
    return tuple(
        Decimal(value).quantize(q) for value in (lat - dlat, lat + dlat, lon - dlon, lon + dlon)
    )


def report_list_public() -> QuerySet[Report]:
    return (
        Report.objects.filter(is_published=True)
        .select_related("category", "ticket", "ticket__district", "ticket__duplicate_of")
        .order_by("-created_at", "-pk")
    )


def report_nearby_open(
    *, category_id: int, latitude: float, longitude: float, radius_m: float, limit: int = 10
) -> list[tuple[Report, float]]:
    """Open, published reports of the category within the radius, nearest first."""
    south, north, west, east = bounding_box(latitude, longitude, radius_m)
    candidates = report_list_public().filter(
        category_id=category_id,
        ticket__status__in=OPEN_STATUSES,
        latitude__range=(south, north),
        longitude__range=(west, east),
    )[:500]
    found = []
    for report in candidates:
        d = distance_m(latitude, longitude, float(report.latitude), float(report.longitude))
        if d <= radius_m:
            found.append((report, d))
    found.sort(key=lambda pair: pair[1])
    return found[:limit]

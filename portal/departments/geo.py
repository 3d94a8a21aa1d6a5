"""District polygons are stored as GeoJSON and checked with shapely; no GIS database needed."""

import json
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

ALLOWED_TYPES = {"Polygon", "MultiPolygon"}


def validate_area_geojson(value) -> None:
    if not isinstance(value, dict) or value.get("type") not in ALLOWED_TYPES:
        raise ValidationError(
            _("Bitte geben Sie ein GeoJSON-Objekt vom Typ „Polygon“ oder „MultiPolygon“ an.")
        )
    try:
        geometry = shape(value)
    except Exception as exc:
        raise ValidationError(_("Die Geometrie ist kein gültiges GeoJSON.")) from exc
    if geometry.is_empty or not geometry.is_valid:
        raise ValidationError(
            _("Das Polygon ist ungültig (z. B. überschneidet sich der Umriss selbst).")
        )
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise ValidationError(
            _("Koordinaten müssen als Längengrad, Breitengrad (WGS 84) angegeben werden.")
        )


@lru_cache(maxsize=256)
def _geometry(geojson_text: str) -> BaseGeometry:
    # parsing a polygon costs more than the point test; districts are few and rarely change
    return shape(json.loads(geojson_text))


def area_contains(area: dict, *, latitude: float, longitude: float) -> bool:
    return _geometry(json.dumps(area, sort_keys=True)).covers(Point(longitude, latitude))

"""Addresses → points for the report form and the Open311 API.

Always available: the city's street list (streets.py). Optional: a Nominatim-compatible geocoder
(setting REPORTS_GEOCODER_URL, e.g. the city's own Nominatim), asked first for suggestions and
lookups. It is a help, never a condition: each call waits at most REPORTS_GEOCODER_TIMEOUT
seconds, answers are cached, any failure falls back to the street list (and makes the next
requests skip the geocoder for a while), and places outside the city are ignored.

The public nominatim.openstreetmap.org forbids autocomplete use and asks for at most one request a
second: point the setting at an instance or provider that allows both.
"""

import hashlib
import http.client
import json
import logging
import re
import urllib.request
from decimal import Decimal, InvalidOperation
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from shapely.geometry import shape
from shapely.ops import unary_union

from portal.departments.selectors import district_list

from .streets import street_locate, street_suggestions

logger = logging.getLogger(__name__)

MIN_QUERY = 3
QUERY_MAX = 200
MAX_RESULTS = 5
SUGGESTIONS_MAX = 10
RESPONSE_MAX_BYTES = 512 * 1024
# after a failure the geocoder is left alone this long: a dead server must not cost every
# request the full timeout
PAUSE_SECONDS = 60
_MICRODEGREE = Decimal("0.000001")
_PAUSE_KEY = "reports:geocoder:paused"
_HOUSE_NUMBER = re.compile(r"\s(\d+\s*[a-z]?)\s*(?:,|$)", re.IGNORECASE)


class Place(NamedTuple):
    label: str
    latitude: Decimal
    longitude: Decimal


class GeocoderUnavailable(Exception):
    pass


def geocoder_enabled() -> bool:
    return bool(settings.REPORTS_GEOCODER_URL)


# --- the city's outline ---------------------------------------------------------------------------
def _districts() -> list:
    return list(district_list())


def _viewbox(districts: list) -> str:
    """west,north,east,south (Nominatim's order does not matter, but this is its example's)."""
    if districts:
        west, south, east, north = unary_union([shape(d.area) for d in districts]).bounds
    else:
        latitude, longitude = settings.MAP_CENTER
        west, south, east, north = longitude - 0.1, latitude - 0.1, longitude + 0.1, latitude + 0.1
    return ",".join(f"{value:.6f}" for value in (west, north, east, south))


def _inside(districts: list, latitude: Decimal, longitude: Decimal) -> bool:
    # as report_location_check: without any district, the whole map is the city
    return not districts or any(
        d.contains(latitude=float(latitude), longitude=float(longitude)) for d in districts
    )


# --- the Nominatim-compatible geocoder ------------------------------------------------------------
def _user_agent() -> str:
    return settings.REPORTS_GEOCODER_USER_AGENT or (
        f"Buergerportal-Maengelmelder/1.0 (+{settings.BASE_URL})"
    )


def _label(item: dict) -> str:
    """ "Hagener Straße 12, 58239 Schwerte" from Nominatim's address details."""
    address = item.get("address") or {}
    street = next(
        (address[k] for k in ("road", "pedestrian", "footway", "path", "square") if address.get(k)),
        "",
    )
    if not street:
        return str(item.get("display_name") or item.get("name") or "").strip()
    town = next(
        (
            address[k]
            for k in ("city", "town", "village", "municipality", "suburb")
            if address.get(k)
        ),
        "",
    )
    first = f"{street} {address.get('house_number', '')}".strip()
    second = f"{address.get('postcode', '')} {town}".strip()
    return f"{first}, {second}" if second else first


def _parse(payload: bytes, districts: list) -> list[Place]:
    places = []
    data = json.loads(payload.decode("utf-8"))
    if not isinstance(data, list):
        raise ValueError("not a result list")
    for item in data:
        if not isinstance(item, dict):
            continue
        try:
            latitude = Decimal(str(item["lat"])).quantize(_MICRODEGREE)
            longitude = Decimal(str(item["lon"])).quantize(_MICRODEGREE)
        except (KeyError, InvalidOperation, TypeError):
            continue
        label = _label(item)[:QUERY_MAX]
        if label and _inside(districts, latitude, longitude):
            places.append(Place(label, latitude, longitude))
    return places


def _cache_key(query: str) -> str:
    normal = " ".join(query.casefold().split())
    return "reports:geocoder:" + hashlib.sha256(normal.encode()).hexdigest()


def geocoder_search(query: str) -> list[Place]:
    """Places in the city for the query, best first; [] when the geocoder is off. Raises
    GeocoderUnavailable on any failure (timeout, HTTP error, an answer that is not JSON)."""
    query = " ".join(query.split())[:QUERY_MAX]
    if not geocoder_enabled() or len(query) < MIN_QUERY:
        return []
    key = _cache_key(query)
    cached = cache.get(key)
    if cached is not None:
        return [Place(label, Decimal(lat), Decimal(lon)) for label, lat, lon in cached]
    if cache.get(_PAUSE_KEY):
        raise GeocoderUnavailable("paused after a failure")
    districts = _districts()
    params = {
        "format": "jsonv2",
        "q": query,
        "countrycodes": "de",
        "viewbox": _viewbox(districts),
        "bounded": "1",
        "addressdetails": "1",
        "limit": str(MAX_RESULTS),
        "accept-language": "de",
    }
    url = settings.REPORTS_GEOCODER_URL.rstrip("/") + "/search?" + urlencode(params)
    request = urllib.request.Request(
        url, headers={"User-Agent": _user_agent(), "Accept": "application/json"}
    )
    try:
        timeout = settings.REPORTS_GEOCODER_TIMEOUT
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload = response.read(RESPONSE_MAX_BYTES + 1)
        if len(payload) > RESPONSE_MAX_BYTES:
            raise ValueError("answer too large")
        places = _parse(payload, districts)
    except (OSError, ValueError, http.client.HTTPException) as exc:
        # the query is not logged: people type their own address
        logger.warning("Geocoder unavailable, using the street list: %s", type(exc).__name__)
        cache.set(_PAUSE_KEY, True, PAUSE_SECONDS)
        raise GeocoderUnavailable(type(exc).__name__) from exc
    cache.set(
        key,
        [(p.label, str(p.latitude), str(p.longitude)) for p in places],
        settings.REPORTS_GEOCODER_CACHE_SECONDS,
    )
    return places


def _with_house_number(place: Place, typed: str) -> Place:
    """The geocoder found the street only: keep the house number the person typed."""
    street_part = place.label.split(",")[0]
    typed_number = _HOUSE_NUMBER.search(" " + typed.split(",")[0] + ",")
    if typed_number is None or re.search(r"\d", street_part):
        return place
    number = " ".join(typed_number.group(1).split())
    rest = place.label[len(street_part) :]
    return place._replace(label=f"{street_part} {number}{rest}")


# --- what the form and the API use ----------------------------------------------------------------
def address_lookup(text: str) -> Place | None:
    """The point of a typed address: the geocoder's best place in the city, else the street
    list's street; None when neither knows it. Never raises."""
    text = text.strip()
    if not text:
        return None
    try:
        places = geocoder_search(text)
    except GeocoderUnavailable:
        places = []
    if places:
        return _with_house_number(places[0], text)
    street = street_locate(text)
    if street is None:
        return None
    return Place(street.address, street.latitude, street.longitude)


def _street_key(text: str) -> str:
    return " ".join(text.casefold().replace("ß", "ss").replace("str.", "strasse").split())


def address_suggestions(text: str) -> list[str]:
    """Suggestions for the address field: the geocoder's places (with house numbers), then the
    streets of the list that contain the text. Never raises."""
    text = " ".join(text.split())[:QUERY_MAX]
    if len(text) < MIN_QUERY:
        return []
    try:
        found = [place.label for place in geocoder_search(text)]
    except GeocoderUnavailable:
        found = []
    street = street_locate(text)  # "Hagener Str. 12"
    if street is not None:
        found.append(street.name)
    key = _street_key(text)
    found += [name for name in street_suggestions() if key in _street_key(name)]
    return list(dict.fromkeys(found))[:SUGGESTIONS_MAX]

"""Turning an Open311 `address_string` into a point.

First the Nominatim-compatible geocoder, if one is configured (REPORTS_GEOCODER_URL), then the
city's street list (`services.reports.streets`; "Hagener Str. 12, Schwerte"): see
`services.reports.geocoder.address_lookup`. When neither knows the address, it is placed at the
centre of the district whose name it mentions ("Holzen"). That is coarse (a whole Stadtteil), but
it puts the report in the right district, so routing by district works, and staff see the address
text beside the point.
"""

import re
from decimal import Decimal

from shapely.geometry import shape

from portal.departments.selectors import district_list

from ..geocoder import address_lookup

_MICRODEGREE = Decimal("0.000001")


def address_locate(*, address: str) -> tuple[Decimal, Decimal] | None:
    """(latitude, longitude) for the address, or None when neither the geocoder, the street list
    nor a district name knows it."""
    place = address_lookup(address)
    if place is not None:
        return place.latitude, place.longitude
    return _district_centre(address)


def _district_centre(address: str) -> tuple[Decimal, Decimal] | None:
    """A Stadtteil wins over its Stadtbezirk, a longer name over a shorter one that it contains
    ("Holzen-Mitte" before "Mitte")."""
    text = address.casefold()
    found = [
        district
        for district in district_list()
        if re.search(rf"(?<!\w){re.escape(district.name.casefold())}(?!\w)", text)
    ]
    if not found:
        return None
    found.sort(key=lambda district: (district.parent_id is None, -len(district.name)))
    area = shape(found[0].area)
    point = area.centroid
    if not area.covers(point):  # a concave outline can have its centroid outside
        point = area.representative_point()
    return Decimal(point.y).quantize(_MICRODEGREE), Decimal(point.x).quantize(_MICRODEGREE)

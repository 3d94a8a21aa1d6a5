"""The city's street list, for the address field of the report form (demo data).

One point per street, roughly in its middle: good enough to route a report to its Stadtteil and
to find reports nearby. A real deployment would load the official street register (or ask a
Nominatim-compatible geocoder); the form only needs `street_suggestions` and `street_locate`.
"""

import re
from decimal import Decimal
from typing import NamedTuple

# name, latitude, longitude (WGS 84); all inside the demo Stadtteile (demo/content/departments.py)
STREETS = [
    # Schwerte-Mitte
    ("Rathausstraße", "51.445100", "7.565300"),
    ("Große Marktstraße", "51.445700", "7.566800"),
    ("Kleine Marktstraße", "51.445300", "7.567900"),
    ("Hüsingstraße", "51.444300", "7.563600"),
    ("Bahnhofstraße", "51.443000", "7.569400"),
    ("Brückstraße", "51.446300", "7.563000"),
    ("Mährische Straße", "51.447200", "7.570800"),
    ("Hagener Straße", "51.441900", "7.556900"),
    ("Ruhrstraße", "51.439600", "7.562400"),
    ("Schützenstraße", "51.447800", "7.561500"),
    ("Beckestraße", "51.444000", "7.571700"),
    ("Wilhelmstraße", "51.442800", "7.573700"),
    ("Kötterbachstraße", "51.448900", "7.567300"),
    ("Karl-Gerharts-Straße", "51.446800", "7.576400"),
    ("Goethestraße", "51.449600", "7.574200"),
    ("Eintrachtstraße", "51.440900", "7.578100"),
    # Schwerte-Ost
    ("Ostenstraße", "51.445900", "7.589800"),
    ("Heidestraße", "51.441400", "7.595400"),
    ("Kampstraße", "51.448200", "7.601300"),
    ("Schillerstraße", "51.437300", "7.592500"),
    # Holzen
    ("Holzener Weg", "51.461800", "7.561300"),
    ("Hörder Straße", "51.466400", "7.548900"),
    ("Auf dem Hilf", "51.458500", "7.572200"),
    ("Liethstraße", "51.463800", "7.578600"),
    # Lichtendorf
    ("Lichtendorfer Straße", "51.466100", "7.612300"),
    ("Sölder Straße", "51.471500", "7.606700"),
    # Geisecke
    ("Geisecker Talstraße", "51.441700", "7.637500"),
    ("Wellenbadstraße", "51.446700", "7.645100"),
    # Wandhofen
    ("Wandhofener Straße", "51.452700", "7.526900"),
    ("Schwerter Straße", "51.449300", "7.538400"),
    # Westhofen
    ("Westhofener Straße", "51.430500", "7.531700"),
    ("Reichshofstraße", "51.425600", "7.513900"),
    ("Kirchstraße", "51.427900", "7.504600"),
    ("Ruhrtalstraße", "51.420500", "7.522800"),
    # Ergste
    ("Letmather Straße", "51.413200", "7.565900"),
    ("Iserlohner Straße", "51.419400", "7.571100"),
    ("Ergster Weg", "51.424500", "7.558200"),
    ("Ostberger Straße", "51.408800", "7.548300"),
    # Villigst
    ("Villigster Straße", "51.423100", "7.603200"),
    ("Haus-Villigst-Straße", "51.418300", "7.611900"),
    ("Elsebachstraße", "51.414600", "7.624800"),
]


class StreetLocation(NamedTuple):
    name: str
    house_number: str
    latitude: Decimal
    longitude: Decimal

    @property
    def address(self) -> str:
        return f"{self.name} {self.house_number}".strip()


# "Hagener Str. 12a", "hagener strasse 12 - 14", "Hagener Straße 12, 58239 Schwerte"
_HOUSE_NUMBER = re.compile(r"\s+(\d+\s*[a-z]?(?:\s*[-/]\s*\d+\s*[a-z]?)?)$", re.IGNORECASE)


def _key(name: str) -> str:
    """A street name reduced to what people type in many ways: case, "Str.", ß/ss, spaces."""
    name = " ".join(name.lower().replace("ß", "ss").split())
    name = name.replace("strasse", "str").replace("str.", "str")
    return name.replace(" ", "").replace("-", "")


_BY_KEY = {_key(name): (name, Decimal(lat), Decimal(lon)) for name, lat, lon in STREETS}


def street_suggestions() -> list[str]:
    return sorted(name for name, _lat, _lon in STREETS)


def street_locate(text: str) -> StreetLocation | None:
    """The street a typed address names, with its point; None when the street is unknown."""
    text = text.split(",")[0].strip()
    if not text:
        return None
    house_number = ""
    match = _HOUSE_NUMBER.search(text)
    if match:
        house_number = " ".join(match.group(1).split())
        text = text[: match.start()]
    found = _BY_KEY.get(_key(text))
    if found is None:
        return None
    name, latitude, longitude = found
    return StreetLocation(name, house_number, latitude, longitude)

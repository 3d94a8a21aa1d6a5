"""Open data (/offene-daten/): anonymised bulk files of what the portal shows in public, and a
DCAT-AP.de catalogue describing them. One mechanism for every area.

Each app registers its datasets in its `opendata` module (found by `autodiscover`). A dataset
has a title, a description and its distributions: a CSV (German spreadsheet conventions,
portal.core.spreadsheets) from `rows()`, a GeoJSON FeatureCollection from `features()`. Only
fields that are public anyway and name nobody go in: no free text of citizens, no names, no
e-mail addresses (the privacy crawl of the tests reads every file). The nightly job writes every
file and a manifest (`services.opendata_publish`); the pages serve the files as written.

    register(Dataset(slug="maengelmeldungen", title=..., rows=report_rows, features=...))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

_datasets: dict[str, Dataset] = {}


@dataclass(frozen=True)
class Dataset:
    slug: str  # the file names: <slug>.csv, <slug>.geojson
    title: str
    description: str
    keywords: tuple[str, ...]
    # the data theme of the EU vocabulary (DCAT-AP): GOVE, REGI, TRAN, SOCI, ENVI …
    theme: str
    # () -> (header, rows); () -> iterable of GeoJSON features
    rows: Callable[[], tuple[list[str], Iterable[list]]] | None = None
    features: Callable[[], Iterable[dict]] | None = None
    order: int = 100

    @property
    def formats(self) -> list[str]:
        return [f for f, made in (("csv", self.rows), ("geojson", self.features)) if made]


def register(dataset: Dataset) -> Dataset:
    _datasets[dataset.slug] = dataset
    return dataset


def datasets() -> list[Dataset]:
    return sorted(_datasets.values(), key=lambda d: (d.order, d.slug))


def autodiscover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("opendata")


def point_feature(longitude, latitude, properties: dict) -> dict | None:
    """A GeoJSON point feature (WGS 84, longitude first), or None without a place."""
    if latitude is None or longitude is None:
        return None
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
        "properties": properties,
    }

"""Writing the open data files and their manifest (nightly, `tasks.opendata_publish_task`)."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from ..spreadsheets import csv_cell, csv_writer
from . import datasets

MANIFEST = "manifest.json"
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json"}
MEDIA_TYPES = {"csv": "text/csv", "geojson": "application/geo+json"}


def root() -> Path:
    path = Path(settings.OPENDATA_ROOT)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write_atomically(path: Path, write) -> None:
    """Write into a temporary file beside `path`, then rename it: a download never gets half a
    file, and yesterday's file stays until today's is complete."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            write(stream)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_csv(stream, dataset) -> None:
    header, rows = dataset.rows()
    stream.write("\ufeff")  # German spreadsheet programs read UTF-8 only with the mark
    writer = csv_writer(stream)
    writer.writerow([csv_cell(title) for title in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])


def _write_geojson(stream, dataset) -> None:
    """A FeatureCollection, written feature by feature (a city's reports do not fit a list)."""
    stream.write('{"type": "FeatureCollection", "features": [')
    first = True
    for feature in dataset.features():
        if feature is None:
            continue
        stream.write("" if first else ",\n")
        stream.write(json.dumps(feature, ensure_ascii=False, cls=DjangoJSONEncoder))
        first = False
    stream.write("]}\n")


WRITERS = {"csv": _write_csv, "geojson": _write_geojson}


def opendata_publish() -> dict:
    """Every registered dataset in every format, then the manifest the pages and the catalogue
    read (names, sizes, checksums, the time of writing)."""
    folder = root()
    now = timezone.now()
    entries = []
    for dataset in datasets():
        files = []
        for fmt in dataset.formats:
            name = f"{dataset.slug}.{fmt}"
            path = folder / name
            _write_atomically(path, lambda stream, d=dataset, f=fmt: WRITERS[f](stream, d))
            files.append(
                {
                    "name": name,
                    "format": fmt,
                    "media_type": MEDIA_TYPES[fmt],
                    "bytes": path.stat().st_size,
                    "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                }
            )
        entries.append({"slug": dataset.slug, "files": files})
    manifest = {"written_at": now.isoformat(), "datasets": entries}
    _write_atomically(folder / MANIFEST, lambda stream: json.dump(manifest, stream, indent=1))
    return manifest


def opendata_manifest() -> dict | None:
    path = root() / MANIFEST
    if not path.exists():
        return None
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["written_at"] = datetime.datetime.fromisoformat(manifest["written_at"])
    return manifest

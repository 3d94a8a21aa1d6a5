"""/offene-daten/: the list of the open data, the files as the nightly job wrote them, and the
DCAT-AP.de catalogue. No database is read: everything comes from the manifest."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render

from . import datasets
from .catalogue import catalogue_graph
from .services import CONTENT_TYPES, opendata_manifest, root

CATALOGUE_FORMATS = {
    "rdf": ("xml", "application/rdf+xml; charset=utf-8"),
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
}


def index(request):
    manifest = opendata_manifest()
    files = {entry["slug"]: entry["files"] for entry in manifest["datasets"]} if manifest else {}
    rows = [
        {"dataset": dataset, "files": files[dataset.slug]}
        for dataset in datasets()
        if dataset.slug in files
    ]
    return render(
        request,
        "core/opendata.html",
        {
            "manifest": manifest,
            "rows": rows,
            "license_name": settings.OPENDATA_LICENSE_NAME,
            "license_url": settings.OPENDATA_LICENSE_URL,
            "publisher": settings.OPENDATA_PUBLISHER,
        },
    )


def _known(name: str) -> dict:
    manifest = opendata_manifest()
    for entry in manifest["datasets"] if manifest else []:
        for item in entry["files"]:
            if item["name"] == name:
                return item
    raise Http404


def data_file(request, name: str):
    item = _known(name)  # only a file of the manifest: never a path from the address
    response = FileResponse(
        (root() / item["name"]).open("rb"), content_type=CONTENT_TYPES[item["format"]]
    )
    response["Content-Disposition"] = f'inline; filename="{item["name"]}"'
    return response


def catalogue(request, fmt: str):
    manifest = opendata_manifest()
    if manifest is None or fmt not in CATALOGUE_FORMATS:
        raise Http404
    serialisation, content_type = CATALOGUE_FORMATS[fmt]
    body = catalogue_graph(manifest).serialize(format=serialisation, encoding="utf-8")
    return HttpResponse(body, content_type=content_type)

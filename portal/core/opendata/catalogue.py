"""The DCAT-AP.de catalogue of the open data (RDF/XML and Turtle), written with rdflib from the
registry and the manifest of the last writing."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from ..links import absolute_url
from . import datasets

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
THEME = "http://publications.europa.eu/resource/authority/data-theme/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
LANGUAGE = URIRef("http://publications.europa.eu/resource/authority/language/DEU")
FILE_TYPES = {"csv": "CSV", "geojson": "GEOJSON"}


def catalogue_graph(manifest: dict) -> Graph:
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("dcatde", DCATDE)
    home = absolute_url(reverse("opendata:index"))
    catalogue = URIRef(absolute_url(reverse("opendata:catalogue", args=["rdf"])))
    publisher = URIRef(absolute_url("/"))
    written = Literal(manifest["written_at"].isoformat(), datatype=XSD.dateTime)
    licence = URIRef(settings.OPENDATA_LICENSE_URI)
    city = settings.PORTAL_CITY_NAME

    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(settings.OPENDATA_PUBLISHER, lang="de")))
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add(
        (catalogue, DCTERMS.title, Literal(f"Offene Daten des Bürgerportals {city}", lang="de"))
    )
    graph.add(
        (
            catalogue,
            DCTERMS.description,
            Literal(
                f"Anonymisierte Daten des Bürgerportals {city}: Mängelmeldungen, Ideen, "
                "Vorhaben, Stadtteile und die öffentlichen Zahlen, jede Nacht neu geschrieben.",
                lang="de",
            ),
        )
    )
    graph.add((catalogue, DCTERMS.publisher, publisher))
    graph.add((catalogue, DCTERMS.language, LANGUAGE))
    graph.add((catalogue, FOAF.homepage, URIRef(home)))
    graph.add((catalogue, DCTERMS.modified, written))
    files = {entry["slug"]: entry["files"] for entry in manifest["datasets"]}
    for dataset in datasets():
        if dataset.slug not in files:
            continue
        node = URIRef(f"{home}#{dataset.slug}")
        graph.add((catalogue, DCAT.dataset, node))
        graph.add((node, RDF.type, DCAT.Dataset))
        graph.add((node, DCTERMS.identifier, Literal(f"{home}#{dataset.slug}")))
        graph.add((node, DCTERMS.title, Literal(str(dataset.title), lang="de")))
        graph.add((node, DCTERMS.description, Literal(str(dataset.description), lang="de")))
        graph.add((node, DCTERMS.publisher, publisher))
        graph.add((node, DCATDE.contributorID, URIRef(settings.OPENDATA_CONTRIBUTOR_ID)))
        if settings.OPENDATA_POLITICAL_GEOCODING_URI:
            graph.add(
                (
                    node,
                    DCATDE.politicalGeocodingURI,
                    URIRef(settings.OPENDATA_POLITICAL_GEOCODING_URI),
                )
            )
        graph.add((node, DCAT.theme, URIRef(THEME + dataset.theme)))
        graph.add((node, DCTERMS.modified, written))
        graph.add((node, DCAT.landingPage, URIRef(home)))
        for keyword in dataset.keywords:
            graph.add((node, DCAT.keyword, Literal(str(keyword), lang="de")))
        for item in files[dataset.slug]:
            url = URIRef(absolute_url(reverse("opendata:file", args=[item["name"]])))
            distribution = URIRef(f"{url}#distribution")
            graph.add((node, DCAT.distribution, distribution))
            graph.add((distribution, RDF.type, DCAT.Distribution))
            graph.add(
                (
                    distribution,
                    DCTERMS.title,
                    Literal(f"{dataset.title} ({item['format'].upper()})", lang="de"),
                )
            )
            graph.add((distribution, DCAT.accessURL, url))
            graph.add((distribution, DCAT.downloadURL, url))
            graph.add(
                (distribution, DCTERMS.format, URIRef(FILE_TYPE + FILE_TYPES[item["format"]]))
            )
            graph.add((distribution, DCAT.mediaType, URIRef(MEDIA_TYPE + item["media_type"])))
            graph.add((distribution, DCTERMS.license, licence))
            graph.add(
                (
                    distribution,
                    DCATDE.licenseAttributionByText,
                    Literal(settings.OPENDATA_PUBLISHER, lang="de"),
                )
            )
            graph.add((distribution, DCAT.byteSize, Literal(item["bytes"], datatype=XSD.decimal)))
            graph.add((distribution, DCTERMS.modified, written))
            checksum = BNode()
            graph.add((distribution, URIRef("http://spdx.org/rdf/terms#checksum"), checksum))
            graph.add((checksum, RDF.type, URIRef("http://spdx.org/rdf/terms#Checksum")))
            graph.add(
                (
                    checksum,
                    URIRef("http://spdx.org/rdf/terms#algorithm"),
                    URIRef("http://spdx.org/rdf/terms#checksumAlgorithm_sha256"),
                )
            )
            graph.add(
                (
                    checksum,
                    URIRef("http://spdx.org/rdf/terms#checksumValue"),
                    Literal(item["sha256"], datatype=XSD.hexBinary),
                )
            )
    return graph

"""Reads of the service catalogue. Every list is a fixed number of queries, however many
services the city has: department and topics come with the page, never per row."""

import re
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Length, Lower, Substr
from wagtail.models import Page

from portal.core.text import search_words

from .models import ServiceIndexPage, ServicePage, Topic

MAX_QUERY_LENGTH = 200
# full-text hits taken into the list; far more than any catalogue has services
MAX_SEARCH_HITS = 5000


def service_list_public(*, index: ServiceIndexPage | None = None) -> QuerySet[ServicePage]:
    """Published services that anyone may see, A–Z, with their department and topics.

    Only services below a published catalogue count: unpublishing the catalogue takes all its
    services off the public site and out of the API.
    """
    services = ServicePage.objects.live().public()
    if index is not None:
        services = services.descendant_of(index)
    else:
        paths = list(ServiceIndexPage.objects.live().public().values_list("path", flat=True))
        below_any = Q(pk__in=[])
        for path in paths:
            below_any |= Q(path__startswith=path)
        services = services.filter(below_any)
    return (
        services.select_related("department")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("sort_order", "name")))
        .order_by(Lower("title"), "pk")
    )


def _search_terms(query: str) -> list[str]:
    return search_words(query.strip()[:MAX_QUERY_LENGTH]).split()


def service_search(services: QuerySet[ServicePage], *, query: str) -> QuerySet[ServicePage]:
    """Services matching every word of the query.

    Wagtail's search finds whole words in title, teaser, description and LeiKa key; German
    compounds need more, so a word also matches inside title or teaser ("ausweis" finds
    "Personalausweis") and a LeiKa key matches by its beginning.
    """
    terms = _search_terms(query)
    if not terms:
        return services
    hits = ServicePage.objects.live().search(" ".join(terms), operator="and")
    hit_ids = [page.pk for page in hits[:MAX_SEARCH_HITS]]
    words = Q()
    for term in terms:
        words &= (
            Q(title__icontains=term) | Q(teaser__icontains=term) | Q(leika_key__startswith=term)
        )
    return services.filter(Q(pk__in=hit_ids) | words)


def service_list_filtered(
    *,
    services: QuerySet[ServicePage] | None = None,
    index: ServiceIndexPage | None = None,
    query: str = "",
    topic: Topic | None = None,
    online: bool | None = None,
    epayment: bool | None = None,
) -> QuerySet[ServicePage]:
    """The public list (or the given part of it) with the catalogue's filters; None means
    "either way"."""
    if services is None:
        services = service_list_public(index=index)
    if topic is not None:
        services = services.filter(topics=topic)
    if online is not None:
        services = services.filter(is_online=online)
    if epayment is not None:
        services = services.filter(has_epayment=epayment)
    if query.strip():
        services = service_search(services, query=query)
    return services


@dataclass(frozen=True)
class CatalogueFigures:
    total: int
    online: int
    with_fee: int
    epayment: int


def service_figures(services: QuerySet[ServicePage]) -> CatalogueFigures:
    """The three KPI flags counted over the given services, in one query."""
    figures = services.order_by().aggregate(
        total=Count("pk"),
        online=Count("pk", filter=Q(is_online=True)),
        with_fee=Count("pk", filter=Q(has_fee=True)),
        epayment=Count("pk", filter=Q(has_epayment=True)),
    )
    return CatalogueFigures(**figures)


def topic_list_with_counts(services: QuerySet[ServicePage]) -> QuerySet[Topic]:
    """All topics, each with the number of the given services it holds (`service_count`)."""
    ids = services.order_by().values("pk")
    return Topic.objects.annotate(
        service_count=Count("services", filter=Q(services__in=ids), distinct=True)
    ).order_by("sort_order", "name")


def topic_groups(services: QuerySet[ServicePage]) -> tuple[list[Topic], list[ServicePage]]:
    """The services grouped by topic (a service with two topics shows in both), and the services
    without a topic. Topics without any of the services are left out."""
    listed = services  # keeps its department and topics, so the cards ask nothing more
    topics = [
        topic
        for topic in Topic.objects.order_by("sort_order", "name").prefetch_related(
            Prefetch("services", queryset=listed, to_attr="listed_services")
        )
        if topic.listed_services
    ]
    return topics, list(listed.filter(topics__isnull=True))


def service_attach_apply_pages(services: list[ServicePage]) -> list[ServicePage]:
    """Look up the first published subpage of every service in one query, so that
    `apply_url()` on a whole list asks the database only once."""
    paths = {service.path: service for service in services}
    for service in services:
        service._first_live_child = None
    if not paths:
        return services
    children = (
        Page.objects.live()
        .annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
        .filter(parent_path__in=list(paths))
        .order_by("path")
        .only("id", "path", "url_path", "depth")
    )
    for child in children:
        service = paths[child.parent_path]
        if service._first_live_child is None:
            service._first_live_child = child
    return services


def service_get_public(*, key: str) -> ServicePage | None:
    """A published service by id (digits) or slug."""
    services = service_list_public()
    # ASCII digits only ("¹".isdigit() is true), and no more than a database key can hold
    if re.fullmatch(r"[0-9]{1,18}", key):
        return services.filter(pk=int(key)).first()
    return services.filter(slug=key).first()


def topic_figures(services: QuerySet[ServicePage]) -> list[Topic]:
    """Every topic with the KPI flags counted over its services (`total`, `online`, `with_fee`,
    `epayment`), in one query."""
    ids = services.order_by().values("pk")
    listed = Q(services__in=ids)
    return list(
        Topic.objects.annotate(
            total=Count("services", filter=listed, distinct=True),
            online=Count("services", filter=listed & Q(services__is_online=True), distinct=True),
            with_fee=Count("services", filter=listed & Q(services__has_fee=True), distinct=True),
            epayment=Count(
                "services", filter=listed & Q(services__has_epayment=True), distinct=True
            ),
        ).order_by("sort_order", "name")
    )

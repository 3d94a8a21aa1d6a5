"""Reads of the Mängelmelder. Distances without a GIS database: a bounding box the index can use,
then the exact great-circle distance in Python."""

import datetime
import math
from decimal import Decimal

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from portal.core.images import CleanPhoto
from portal.departments.models import District
from portal.tickets.constants import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    CategoryKind,
    EventKind,
    TicketStatus,
)
from portal.tickets.models import Category, CategoryAttribute, TicketEvent

from .models import (
    Report,
    ReportPhoto,
    ReportPhotoDraft,
)

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


def reports_within(
    reports: QuerySet[Report], *, latitude: float, longitude: float, radius_m: float, limit: int
) -> list[tuple[Report, float]]:
    """Reports of the queryset within the radius, nearest first, with their distance in metres:
    a bounding box the index can use, then the exact distance in Python."""
    south, north, west, east = bounding_box(latitude, longitude, radius_m)
    candidates = reports.filter(latitude__range=(south, north), longitude__range=(west, east))[:500]
    found = []
    for report in candidates:
        d = distance_m(latitude, longitude, float(report.latitude), float(report.longitude))
        if d <= radius_m:
            found.append((report, d))
    found.sort(key=lambda pair: pair[1])
    return found[:limit]


def report_nearby_open(
    *, category_id: int, latitude: float, longitude: float, radius_m: float, limit: int = 10
) -> list[tuple[Report, float]]:
    """Open, published reports of the category within the radius, nearest first."""
    reports = report_list_public().filter(category_id=category_id, ticket__status__in=OPEN_STATUSES)
    return reports_within(
        reports, latitude=latitude, longitude=longitude, radius_m=radius_m, limit=limit
    )


# --- Open311 ------------------------------------------------------------------------------------
# Categories that are not defects in public space: they have their own forms in the portal.
OPEN311_EXCLUDED_CATEGORY_SLUGS = frozenset({"barrierefreiheit", "allgemein"})


def open311_service_list() -> QuerySet[Category]:
    """The categories offered as Open311 services; `has_attributes` says whether a category
    has Zusatzfragen (Open311 `metadata`), without a query per category."""
    return (
        Category.objects.filter(is_active=True, kind=CategoryKind.REPORT)
        .exclude(slug__in=OPEN311_EXCLUDED_CATEGORY_SLUGS)
        .annotate(
            has_attributes=Exists(CategoryAttribute.objects.filter(category_id=OuterRef("pk")))
        )
        .order_by("sort_order", "name")
    )


def category_attribute_list(*, category: Category) -> list[CategoryAttribute]:
    """The Zusatzfragen of a category in their order (prefetched ones when there are)."""
    return sorted(
        category.attributes.all(), key=lambda attribute: (attribute.sort_order or 0, attribute.pk)
    )


def report_attribute_answers(*, report: Report) -> list[dict]:
    """The answers of a report as question and answer text, in the order of the questions;
    answers to questions removed since come last, under their code. For staff only."""
    from .attributes import answer_display

    answers = dict(report.attributes or {})
    rows = []
    for attribute in category_attribute_list(category=report.category):
        if attribute.code in answers:
            value = answers.pop(attribute.code)
            rows.append(
                {"question": attribute.description, "answer": answer_display(attribute, value)}
            )
    for code, value in answers.items():
        rows.append({"question": code, "answer": answer_display(None, value)})
    return rows


def open311_request_list() -> QuerySet[Report]:
    """Published reports with everything an Open311 request object shows, in one query: the
    status notes and the first visible photo come as annotations, not per row.

    `status_notes` says why the status changed, so it is the public text of the event that set
    the current status (empty when that event had none), never an older message."""
    status_notes = (
        TicketEvent.objects.filter(
            ticket_id=OuterRef("ticket_id"), to_status=OuterRef("ticket__status")
        )
        .order_by("-created_at", "-pk")
        .values("public_message")[:1]
    )
    first_visible_photo = (
        ReportPhoto.objects.filter(report_id=OuterRef("pk"), is_hidden=False)
        .order_by("position", "pk")
        .values("image")[:1]
    )
    return (
        Report.objects.filter(is_published=True, ticket__isnull=False)
        .select_related("category", "ticket", "ticket__department", "ticket__duplicate_of")
        .annotate(
            open311_status_notes=Subquery(status_notes),
            open311_photo=Subquery(first_visible_photo),
        )
        .order_by("-created_at", "-pk")
    )


def open311_update_list(
    *,
    after: datetime.datetime,
    until: datetime.datetime,
    limit: int,
    numbers: list[str] | None = None,
) -> QuerySet[TicketEvent]:
    """The public changes (Open311 `servicerequestupdates`) of the tickets of published reports
    recorded after `after` (exclusive) up to `until` (inclusive), oldest first by (created_at,
    pk); `numbers` restricts them to these tickets. One query.

    A change is a line of the timeline that moved the status (`to_status`) or said something to
    the citizen (`public_message`); the line of the receipt is not one. Each comes with
    `open311_status`, the ticket's status after it: its own `to_status`, else that of the latest
    earlier line that set one (a subquery in the same query, not one per row).

    At most `limit` changes, except that a moment is never split: the answer ends with every
    change recorded at the same time as the limit-th, so that a client continuing after the last
    `created_at` it received (exclusive) misses none. Only the columns shown are read: no
    internal note, actor or person ever leaves the database for Open311."""
    updates = (
        TicketEvent.objects.filter(
            ticket__report__is_published=True, created_at__gt=after, created_at__lte=until
        )
        .exclude(kind=EventKind.CREATED)
        .filter(~Q(to_status="") | ~Q(public_message=""))
        .order_by("created_at", "pk")
    )
    if numbers:
        updates = updates.filter(ticket__number__in=numbers)
    # the moment of the limit-th change, or the window's end when there are fewer
    last_moment = updates.values("created_at")[limit - 1 : limit]
    status_before = (
        TicketEvent.objects.filter(ticket_id=OuterRef("ticket_id"))
        .exclude(to_status="")
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by("-created_at", "-pk")
        .values("to_status")[:1]
    )
    return (
        updates.filter(created_at__lte=Coalesce(Subquery(last_moment), Value(until)))
        .select_related("ticket")
        .only("created_at", "to_status", "public_message", "ticket__number")
        .annotate(
            open311_status=Case(
                When(
                    to_status="",
                    then=Coalesce(Subquery(status_before), Value(TicketStatus.RECEIVED.value)),
                ),
                default=F("to_status"),
            )
        )
    )


# --- public web pages (services/reports/views.py) ---------------------------------------------
def report_category_list() -> QuerySet[Category]:
    """The categories a citizen can choose in the report form and the list filter: the same as
    the Open311 services."""
    return open311_service_list()


def report_list_public_filtered(
    *,
    category: Category | None = None,
    status: str | None = None,
    district: District | None = None,
    days: int | None = None,
) -> QuerySet[Report]:
    """The public list with its filters; `status` is "offen" or "erledigt" (every closed
    status)."""
    reports = report_list_public()
    if category is not None:
        reports = reports.filter(category=category)
    if status == "offen":
        reports = reports.filter(ticket__status__in=OPEN_STATUSES)
    elif status == "erledigt":
        reports = reports.filter(ticket__status__in=CLOSED_STATUSES)
    if district is not None:
        reports = reports.filter(ticket__district=district)
    if days:
        since = timezone.now() - datetime.timedelta(days=days)
        reports = reports.filter(created_at__gte=since)
    return reports


def report_get_public(*, number: str) -> Report | None:
    """A published report by its ticket number, with its category and ticket, and the photos that
    may be shown (`visible_photos`, read when first used: the page's public part from the cache
    needs none; so are the district and the department, which only that part shows: a join of
    six tables took PostgreSQL longer to plan than to run)."""
    report = (
        Report.objects.filter(is_published=True, ticket__number=number)
        .select_related("category", "ticket")
        .first()
    )
    if report is not None:
        report.visible_photos = SimpleLazyObject(
            lambda: list(ReportPhoto.objects.filter(report=report, is_hidden=False))
        )
    return report


# --- Atom feeds (services/reports/feeds.py) -----------------------------------------------------
FEED_ITEMS = 50


def report_feed_items(
    *, category: Category | None = None, district: District | None = None
) -> QuerySet[Report]:
    """The newest published reports for a feed; one query, whatever the number of items."""
    return report_list_public_filtered(category=category, district=district)[:FEED_ITEMS]


# --- photos kept between the form's steps (services/reports/photo_services.py) ------------------
def report_photo_drafts_get(*, token: str, slot: int | None = None) -> dict[int, CleanPhoto]:
    """The unexpired photos kept for the form `token` (or only its `slot`), slot → photo."""
    drafts = ReportPhotoDraft.objects.filter(token=token, expires_at__gt=timezone.now())
    if slot is not None:
        drafts = drafts.filter(slot=slot)
    return {
        draft.slot: CleanPhoto(
            content=bytes(draft.content),
            format=draft.format,
            width=draft.width,
            height=draft.height,
            extension=draft.extension,
            content_type=draft.content_type,
        )
        for draft in drafts
    }

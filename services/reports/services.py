"""Writes of the Mängelmelder. A report and its ticket are committed together, before any
e-mail or broker is involved."""

from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.errors import ApplicationError
from portal.departments.models import District
from portal.departments.selectors import district_for_location
from portal.tickets.constants import Channel, PublishMode
from portal.tickets.models import Category, Ticket
from portal.tickets.services import ticket_open

from .models import DESCRIPTION_MAX, Report, ReportPhoto, ReportSupport

SOURCE_KIND = "maengel"
MAX_PHOTOS = 3


def _check_location(latitude: Decimal, longitude: Decimal):
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ApplicationError(_("Die Koordinaten sind ungültig."), field="location")
    district = district_for_location(latitude=float(latitude), longitude=float(longitude))
    if district is None and District.objects.exists():
        raise ApplicationError(
            _(
                "Dieser Ort liegt außerhalb des Stadtgebiets. Bitte wählen Sie einen Ort in "
                "der Stadt oder wenden Sie sich an die zuständige Gemeinde."
            ),
            field="location",
        )
    return district


@transaction.atomic
def report_submit(
    *,
    category: Category,
    description: str,
    latitude: Decimal,
    longitude: Decimal,
    address: str = "",
    photos=(),
    name: str = "",
    email: str = "",
    user=None,
    channel: str = Channel.ONLINE,
    api_client=None,
) -> Report:
    """Store a defect report, its photos (already cleaned: see images.clean_photo) and its
    ticket in one transaction. Published at once or after a staff check, per category."""
    description = description.strip()
    if not description:
        raise ApplicationError(_("Bitte beschreiben Sie den Mangel."), field="description")
    if len(description) > DESCRIPTION_MAX:
        raise ApplicationError(
            _("Die Beschreibung ist zu lang (höchstens %(n)s Zeichen).") % {"n": DESCRIPTION_MAX},
            field="description",
        )
    if len(photos) > MAX_PHOTOS:
        raise ApplicationError(
            _("Bitte höchstens %(n)s Fotos anhängen.") % {"n": MAX_PHOTOS}, field="photos"
        )
    if not category.is_active:
        raise ApplicationError(_("Diese Kategorie gibt es nicht mehr."), field="category")
    latitude, longitude = Decimal(latitude), Decimal(longitude)
    district = _check_location(latitude, longitude)
    now = timezone.now()
    immediate = category.publish_mode == PublishMode.IMMEDIATE
    report = Report.objects.create(
        category=category,
        description=description,
        latitude=latitude,
        longitude=longitude,
        address=address.strip(),
        reporter_name=name.strip(),
        reporter_email=email.strip().lower(),
        reporter=user if user is not None and user.is_authenticated else None,
        channel=channel,
        api_client=api_client,
        is_published=immediate,
        published_at=now if immediate else None,
        created_at=now,
    )
    for position, (photo, alt_text) in enumerate(photos):
        ReportPhoto.objects.create(
            report=report,
            image=ContentFile(photo.content, name=_stored_name(photo)),
            width=photo.width,
            height=photo.height,
            alt_text=alt_text.strip()[:250],
            position=position,
        )
    report.ticket = ticket_open(
        source=report,
        source_kind=SOURCE_KIND,
        category=category,
        summary=description,
        channel=channel,
        citizen=user,
        contact_email=email,
        latitude=latitude,
        longitude=longitude,
        address=address,
        district=district,
    )
    report.save(update_fields=["ticket"])
    return report


def _stored_name(photo) -> str:
    from .images import stored_name

    return stored_name(photo.extension)


@transaction.atomic
def report_publish(*, report: Report, public_description: str = "") -> Report:
    report = Report.objects.select_for_update(of=("self",)).get(pk=report.pk)
    if public_description.strip():
        report.public_description = public_description.strip()
    report.is_published = True
    report.published_at = report.published_at or timezone.now()
    report.save(update_fields=["public_description", "is_published", "published_at"])
    return report


def report_support(*, report: Report, user=None, email: str = "") -> bool:
    """ "Ich bin auch betroffen". Returns False when this person already supports it."""
    if report.ticket is not None and report.ticket.is_closed:
        raise ApplicationError(_("Diese Meldung ist bereits abgeschlossen."))
    if user is None or not user.is_authenticated:
        user = None
        if not email.strip():
            raise ApplicationError(_("Bitte geben Sie Ihre E-Mail-Adresse an."), field="email")
    try:
        with transaction.atomic():
            ReportSupport.objects.create(
                report=report, user=user, email="" if user else email.strip().lower()
            )
            Report.objects.filter(pk=report.pk).update(support_count=F("support_count") + 1)
    except IntegrityError:
        return False
    return True


def report_for_ticket(ticket: Ticket) -> Report | None:
    return Report.objects.filter(ticket=ticket).first()


# a device (e.g. a street light) reports its own place again and again: same spot, same fault
DEVICE_DUPLICATE_RADIUS_M = 30


def report_submit_from_device(*, api_client, category: Category, latitude, longitude, **kwargs):
    """A machine report is deduplicated like a citizen would be: an open report of the same
    category at the same spot gets a support from the device instead of a second ticket."""
    from .selectors import bounding_box, distance_m

    lat, lon = float(latitude), float(longitude)
    nearby = (
        Report.objects.filter(category=category, ticket__closed_at__isnull=True)
        .select_related("ticket")
        .order_by("-created_at")
    )
    south, north, west, east = bounding_box(lat, lon, DEVICE_DUPLICATE_RADIUS_M)
    for existing in nearby.filter(latitude__range=(south, north), longitude__range=(west, east))[
        :20
    ]:
        if distance_m(lat, lon, float(existing.latitude), float(existing.longitude)) <= (
            DEVICE_DUPLICATE_RADIUS_M
        ):
            report_support(report=existing, email=f"geraet-{api_client.pk}@geraete.invalid")
            return existing
    return report_submit(
        category=category, latitude=latitude, longitude=longitude, api_client=api_client, **kwargs
    )

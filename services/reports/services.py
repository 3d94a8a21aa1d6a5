"""Writes of the Mängelmelder. A report and its ticket are committed together, before any
e-mail or broker is involved."""

import enum
import logging
from collections.abc import Mapping
from decimal import Decimal

from django.core import signing
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core import outbox
from portal.core.errors import ApplicationError
from portal.departments.models import District
from portal.departments.selectors import district_for_location
from portal.tickets.constants import Channel, PublishMode
from portal.tickets.models import Category, Ticket
from portal.tickets.services import ticket_open

from .attributes import report_attributes_clean
from .models import DESCRIPTION_MAX, Report, ReportPhoto, ReportSupport
from .selectors import category_attribute_list

logger = logging.getLogger(__name__)

SOURCE_KIND = "maengel"
MAX_PHOTOS = 3
SUPPORT_CONFIRM_SALT = "reports.support-confirm"
SUPPORT_CONFIRM_MAX_AGE = 7 * 24 * 60 * 60  # seconds a support's confirmation link is valid


def report_location_check(*, latitude: Decimal, longitude: Decimal):
    """The district of a point; refused in German when invalid or outside the city."""
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
    attributes: Mapping[str, object] | None = None,
    actor=None,
) -> Report:
    """Store a defect report, its photos (already cleaned: see images.clean_photo) and its
    ticket in one transaction. Published at once or after a staff check, per category.

    `attributes` are the answers to the category's Zusatzfragen by code; they are checked here
    (AttributeAnswerErrors) and answers to questions the category does not ask are dropped.
    `actor` is the staff member who entered a concern received by phone, letter, e-mail or at the
    counter (`channel`); the first line of the timeline names them."""
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
    answers = report_attributes_clean(
        attributes=category_attribute_list(category=category), answers=attributes or {}
    )
    latitude, longitude = Decimal(latitude), Decimal(longitude)
    district = report_location_check(latitude=latitude, longitude=longitude)
    now = timezone.now()
    immediate = category.publish_mode == PublishMode.IMMEDIATE
    report = Report.objects.create(
        category=category,
        description=description,
        latitude=latitude,
        longitude=longitude,
        address=address.strip(),
        attributes=answers,
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
        stored = ReportPhoto(
            report=report,
            image=ContentFile(photo.content, name=_stored_name(photo)),
            width=photo.width,
            height=photo.height,
            alt_text=alt_text.strip()[:250],
            position=position,
        )
        stored.set_rendition(photo.content)
        stored.save()
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
        actor=actor,
    )
    report.save(update_fields=["ticket"])
    if report.is_published:
        _alert_areas(report)
    return report


def _alert_areas(report: Report) -> None:
    """Whoever wants an e-mail per new report in its area is owed one (once; in this
    transaction, so a report published is never announced twice or lost)."""
    from .area_alerts import report_alerts_owe

    report_alerts_owe(report)


def _stored_name(photo) -> str:
    from portal.core.images import stored_name

    return stored_name(photo.extension)


@transaction.atomic
def report_publish(*, report: Report, public_description: str = "") -> Report:
    report = Report.objects.select_for_update(of=("self",)).get(pk=report.pk)
    if public_description.strip():
        report.public_description = public_description.strip()
    report.is_published = True
    report.published_at = report.published_at or timezone.now()
    report.save(update_fields=["public_description", "is_published", "published_at"])
    _request_changed(report)
    _alert_areas(report)
    return report


def _request_changed(report: Report) -> None:
    """What Open311 shows of the report changed (published, its public text): its ticket's
    `updated_at` says so, so that `updated_after` finds it."""
    if report.ticket_id is not None:
        Ticket.objects.filter(pk=report.ticket_id).update(updated_at=timezone.now())


class SupportOutcome(enum.Enum):
    COUNTED = "counted"
    ALREADY_COUNTED = "already_counted"
    # a confirmation link is on its way, unless the address counts already (not said, so that
    # nobody learns through the form who supports what)
    CHECK_MAIL = "check_mail"


def report_support(
    *, report: Report, user=None, email: str = "", email_verified: bool = False
) -> SupportOutcome:
    """ "Ich bin auch betroffen". A signed-in person counts at once, as does an address known to
    be genuine (`email_verified`, a device's own). An address typed into the form counts only
    after its confirmation link is used (double opt-in); each address counts once per report."""
    if report.ticket is not None and report.ticket.is_closed:
        raise ApplicationError(_("Diese Meldung ist bereits abgeschlossen."))
    if user is not None and not user.is_authenticated:
        user = None
    email = "" if user is not None else email.strip().lower()
    if user is None and not email:
        raise ApplicationError(_("Bitte geben Sie Ihre E-Mail-Adresse an."), field="email")
    if user is None and not email_verified:
        return _support_ask_confirmation(report=report, email=email)
    try:
        with transaction.atomic():
            ReportSupport.objects.create(
                report=report, user=user, email=email, confirmed_at=timezone.now()
            )
            _support_count(report.pk)
    except IntegrityError:
        return SupportOutcome.ALREADY_COUNTED
    return SupportOutcome.COUNTED


def _support_count(report_id: int) -> None:
    Report.objects.filter(pk=report_id).update(support_count=F("support_count") + 1)


@transaction.atomic
def _support_ask_confirmation(*, report: Report, email: str) -> SupportOutcome:
    support, _created = ReportSupport.objects.select_for_update(of=("self",)).get_or_create(
        report=report, email=email
    )
    if support.confirmed_at is None:
        # asked again (the link expired or the e-mail got lost): a new link, a new relay window
        support.created_at = timezone.now()
        support.save(update_fields=["created_at"])
        outbox.owe(
            f"reports.support_confirm:{support.pk}:{int(support.created_at.timestamp() * 1000)}",
            kind="reports.support_confirm",
            recipient=support.email,
            template="emails/reports/support_confirm",
            context={"support": support.pk},
        )
    return SupportOutcome.CHECK_MAIL


def support_confirmation_code(support: ReportSupport) -> str:
    """The signed, expiring code of a support's confirmation link."""
    return signing.dumps(support.pk, salt=SUPPORT_CONFIRM_SALT)


def report_support_from_code(code: str) -> ReportSupport:
    """The support a confirmation link stands for; refused in German when the link is expired,
    altered or its report no longer public."""
    try:
        support_id = signing.loads(code, salt=SUPPORT_CONFIRM_SALT, max_age=SUPPORT_CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise ApplicationError(
            _("Dieser Bestätigungslink ist abgelaufen. Bitte klicken Sie auf der Seite der "
              "Meldung noch einmal auf „Ich bin auch betroffen“; Sie erhalten dann einen neuen "
              "Link.")
        ) from None  # fmt: skip
    except signing.BadSignature:
        support_id = None
    support = (
        ReportSupport.objects.select_related("report__category", "report__ticket")
        .filter(pk=support_id, report__is_published=True)
        .first()
        if isinstance(support_id, int)
        else None
    )
    if support is None:
        raise ApplicationError(_("Dieser Link ist ungültig."))
    return support


@transaction.atomic
def report_support_confirm(*, code: str) -> ReportSupport:
    """Count a support once its address is confirmed; using the link again changes nothing."""
    support = report_support_from_code(code)
    support = ReportSupport.objects.select_for_update(of=("self",)).get(pk=support.pk)
    if support.confirmed_at is None:
        support.confirmed_at = timezone.now()
        support.save(update_fields=["confirmed_at"])
        _support_count(support.report_id)
    return support


def report_for_ticket(ticket: Ticket) -> Report | None:
    return Report.objects.filter(ticket=ticket).first()


# a device (e.g. a street light) reports its own place again and again: same spot, same fault
DEVICE_DUPLICATE_RADIUS_M = 30


def report_submit_from_device(*, api_client, category: Category, latitude, longitude, **kwargs):
    """A machine report is deduplicated like a citizen would be: an open report of the same
    category at the same spot (published or not) gets a support from the device instead of a
    second ticket."""
    from .selectors import reports_within

    same_fault = reports_within(
        Report.objects.filter(category=category, ticket__closed_at__isnull=True)
        .select_related("ticket")
        .order_by("-created_at"),
        latitude=float(latitude),
        longitude=float(longitude),
        radius_m=DEVICE_DUPLICATE_RADIUS_M,
        limit=1,
    )
    if same_fault:
        existing = same_fault[0][0]
        report_support(
            report=existing, email=f"geraet-{api_client.pk}@geraete.invalid", email_verified=True
        )
        return existing
    return report_submit(
        category=category, latitude=latitude, longitude=longitude, api_client=api_client, **kwargs
    )


@transaction.atomic
def report_record_moderation(*, report: Report, actor, old_public_text: str, was_published: bool):
    """Write what the moderation changed into the ticket's timeline (internal): the public text
    before and after, and the publication. The reporter's original stays on the report."""
    from portal.tickets.services import ticket_add_note

    if report.ticket_id is None:
        return
    if report.public_text != old_public_text or report.is_published != was_published:
        _request_changed(report)
    if report.is_published and not was_published:
        _alert_areas(report)
    notes = []
    if report.public_text != old_public_text:
        notes.append(
            _("Öffentlicher Text geändert. Vorher: „%(old)s“ – jetzt: „%(new)s“")
            % {"old": old_public_text, "new": report.public_text}
        )
    if report.is_published and not was_published:
        notes.append(_("Meldung veröffentlicht."))
    elif was_published and not report.is_published:
        notes.append(_("Veröffentlichung zurückgenommen."))
    if notes:
        ticket_add_note(ticket=report.ticket, actor=actor, note="\n".join(notes))

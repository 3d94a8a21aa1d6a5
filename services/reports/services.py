"""Writes of the Mängelmelder. A report and its ticket are committed together, before any
e-mail or broker is involved."""

import enum
import logging
from collections.abc import Mapping
from decimal import Decimal
from functools import partial

from django.core import signing
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core import doorbell
from portal.core.errors import ApplicationError
from portal.departments.models import District
from portal.departments.selectors import district_for_location
from portal.tickets.constants import Channel, EventKind, PublishMode
from portal.tickets.models import Category, Ticket, TicketEvent
from portal.tickets.services import RELAY_BATCH, ticket_open

from .attributes import report_attributes_clean
from .models import (
    DESCRIPTION_MAX,
    Report,
    ReportFollow,
    ReportFollowDelivery,
    ReportPhoto,
    ReportSupport,
)
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
) -> Report:
    """Store a defect report, its photos (already cleaned: see images.clean_photo) and its
    ticket in one transaction. Published at once or after a staff check, per category.

    `attributes` are the answers to the category's Zusatzfragen by code; they are checked here
    (AttributeAnswerErrors) and answers to questions the category does not ask are dropped."""
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
    )
    report.save(update_fields=["ticket"])
    return report


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
    return report


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
        support.confirmation_sent_at = None
        support.save(update_fields=["created_at", "confirmation_sent_at"])
        follow_enqueue_on_commit("report_support_confirm_task", support.pk)
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


def report_support_send_confirmation(*, support_id: int) -> bool:
    """Send the confirmation link once. Returns whether an e-mail went out."""
    from .emails import support_confirm_message

    with transaction.atomic():
        support = (
            ReportSupport.objects.select_for_update(of=("self",))
            .select_related("report__category", "report__ticket")
            .filter(pk=support_id, confirmation_sent_at__isnull=True, confirmed_at__isnull=True)
            .exclude(email="")
            .first()
        )
        if support is None or not support.report.is_published:
            return False
        # sent inside the row lock: a second delivery of the task waits and then finds it done
        support_confirm_message(support).send()
        support.confirmation_sent_at = timezone.now()
        support.save(update_fields=["confirmation_sent_at"])
    return True


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


# --- "Meldung folgen": double opt-in, updates by e-mail, unsubscribe -----------------------------
# The broker is only the doorbell, as for tickets: after a failed publish it is left alone for a
# few seconds, and the relay (report_follow_relay_task) rings again for what was not sent.
FOLLOW_RELAY_AFTER = timezone.timedelta(minutes=2)
FOLLOW_RELAY_WINDOW = timezone.timedelta(days=2)


def _follow_task(task_name: str):
    from . import tasks

    return getattr(tasks, task_name)


def _follow_enqueue(task_name: str, object_id: int) -> None:
    doorbell.ring(_follow_task(task_name), object_id)


def follow_enqueue_on_commit(task_name: str, object_id: int) -> None:
    doorbell.ring_on_commit(partial(_follow_task, task_name), object_id)


def _verified_email(user) -> str:
    from allauth.account.models import EmailAddress

    if user is None or not user.is_authenticated or not user.email:
        return ""
    verified = EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True)
    return user.email.lower() if verified.exists() else ""


@transaction.atomic
def report_follow(*, report: Report, email: str = "", user=None) -> ReportFollow:
    """Start following a published report. The address gets a confirmation link first (double
    opt-in); a signed-in person with a verified address follows at once. Asking again after
    unsubscribing starts over; asking again while following changes nothing."""
    if not report.is_published:
        raise ApplicationError(_("Diese Meldung ist nicht veröffentlicht."))
    if user is not None and not user.is_authenticated:
        user = None
    verified = _verified_email(user)
    email = (verified or (user.email if user is not None else "") or email).strip().lower()
    if not email:
        raise ApplicationError(_("Bitte geben Sie Ihre E-Mail-Adresse an."), field="email")
    follow, created = ReportFollow.objects.select_for_update(of=("self",)).get_or_create(
        report=report, email=email, defaults={"user": user}
    )
    if not created and follow.unsubscribed_at is None:
        return follow
    now = timezone.now()
    follow.user = user or follow.user
    follow.created_at = now  # a new request: the relay window starts again
    follow.unsubscribed_at = None
    follow.confirmed_at = now if verified else None
    follow.confirmation_sent_at = None
    follow.save()
    if follow.confirmed_at is None:
        follow_enqueue_on_commit("report_follow_confirm_task", follow.pk)
    return follow


def _follow_by_token(token: str) -> ReportFollow:
    follow = (
        ReportFollow.objects.select_for_update(of=("self",))
        .filter(token=token, report__is_published=True)
        .first()
        if token
        else None
    )
    if follow is None:
        raise ApplicationError(_("Dieser Link ist ungültig oder abgelaufen."))
    return follow


@transaction.atomic
def report_follow_confirm(*, token: str) -> ReportFollow:
    follow = _follow_by_token(token)
    if follow.unsubscribed_at is not None:
        raise ApplicationError(
            _("Sie haben sich von dieser Meldung abgemeldet. Um wieder zu folgen, nutzen Sie "
              "bitte das Formular auf der Seite der Meldung.")
        )  # fmt: skip
    if follow.confirmed_at is None:
        follow.confirmed_at = timezone.now()
        follow.save(update_fields=["confirmed_at"])
    return follow


@transaction.atomic
def report_follow_unsubscribe(*, token: str) -> ReportFollow:
    follow = _follow_by_token(token)
    if follow.unsubscribed_at is None:
        follow.unsubscribed_at = timezone.now()
        follow.save(update_fields=["unsubscribed_at"])
    return follow


def report_follow_event_is_news(event: TicketEvent) -> bool:
    """Followers hear of every public change after the report was filed."""
    return event.is_public and event.kind != EventKind.CREATED


def report_follow_send_confirmation(*, follow_id: int) -> bool:
    """Send the confirmation link once. Returns whether an e-mail went out."""
    from .emails import follow_confirm_message

    with transaction.atomic():
        follow = (
            ReportFollow.objects.select_for_update(of=("self",))
            .select_related("report__category", "report__ticket")
            .filter(pk=follow_id)
            .first()
        )
        if follow is None or follow.confirmation_sent_at or not _follow_wants_mail(follow, False):
            return False
        # sent inside the row lock: a second delivery of the task waits and then finds it done
        follow_confirm_message(follow).send()
        follow.confirmation_sent_at = timezone.now()
        follow.save(update_fields=["confirmation_sent_at"])
    return True


def _follow_wants_mail(follow: ReportFollow, confirmed: bool) -> bool:
    return (
        follow.unsubscribed_at is None
        and (follow.confirmed_at is not None) == confirmed
        and follow.report.is_published
    )


def report_follow_send_update(*, event_id: int) -> int:
    """Tell every confirmed follower of the event's report about it, once each. Returns the
    number of e-mails sent."""
    from .emails import follow_update_message
    from .selectors import report_follow_recipients

    event = (
        TicketEvent.objects.select_related("ticket__category", "ticket__duplicate_of")
        .filter(pk=event_id)
        .first()
    )
    if event is None or not report_follow_event_is_news(event):
        return 0
    sent = 0
    for follow_id in report_follow_recipients(event=event).values_list("pk", flat=True):
        with transaction.atomic():
            delivery, _created = ReportFollowDelivery.objects.get_or_create(
                follow_id=follow_id, event=event
            )
            delivery = (
                ReportFollowDelivery.objects.select_for_update(of=("self",))
                .select_related("follow__report__category", "follow__report__ticket")
                .get(pk=delivery.pk)
            )
            if delivery.sent_at is not None or not _follow_wants_mail(delivery.follow, True):
                continue
            # a failed send rolls the delivery row back, so a retry sends it again
            follow_update_message(delivery.follow, event).send()
            delivery.sent_at = timezone.now()
            delivery.save(update_fields=["sent_at"])
            sent += 1
    return sent


def report_follow_relay() -> dict[str, int]:
    """Ring again for follower and support e-mails not sent after a few minutes (the broker was
    down)."""
    from .selectors import (
        report_follow_pending_confirmations,
        report_follow_pending_events,
        report_support_pending_confirmations,
    )

    cutoff = timezone.now() - FOLLOW_RELAY_AFTER
    follow_ids = list(report_follow_pending_confirmations(older_than=cutoff)[:RELAY_BATCH])
    for follow_id in follow_ids:
        _follow_enqueue("report_follow_confirm_task", follow_id)
    event_ids = list(report_follow_pending_events(older_than=cutoff)[:RELAY_BATCH])
    for event_id in event_ids:
        _follow_enqueue("report_follow_update_task", event_id)
    support_ids = list(report_support_pending_confirmations(older_than=cutoff)[:RELAY_BATCH])
    for support_id in support_ids:
        _follow_enqueue("report_support_confirm_task", support_id)
    return {
        "confirmations": len(follow_ids),
        "updates": len(event_ids),
        "supports": len(support_ids),
    }


@transaction.atomic
def report_record_moderation(*, report: Report, actor, old_public_text: str, was_published: bool):
    """Write what the moderation changed into the ticket's timeline (internal): the public text
    before and after, and the publication. The reporter's original stays on the report."""
    from portal.tickets.services import ticket_add_note

    if report.ticket_id is None:
        return
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

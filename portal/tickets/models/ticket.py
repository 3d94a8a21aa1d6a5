"""The Anliegen itself and the sequence of its receipt numbers."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.departments.models import Department, District

from ..constants import CLOSED_STATUSES, TRAFFIC_LIGHT, Channel, RoutingState, TicketStatus
from ..sources import source_kind_label
from .catalogue import Category


def _new_access_token() -> str:
    return secrets.token_urlsafe(24)


class TicketSequence(models.Model):
    """The last receipt number per year; its row lock serialises concurrent submits."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Ticket(models.Model):
    """An Anliegen: one case object for every concern, whatever its source."""

    number = models.CharField(_("Vorgangsnummer"), max_length=20, unique=True, editable=False)
    access_token = models.CharField(
        max_length=64, unique=True, default=_new_access_token, editable=False
    )
    source_kind = models.CharField(_("Herkunft"), max_length=30)
    source_content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_content_type", "source_object_id")

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("Kategorie")
    )
    summary = models.TextField(_("Anliegen"))
    latitude = models.DecimalField(
        _("Breitengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("Längengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address = models.CharField(_("Ort"), max_length=200, blank=True)
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("Stadtteil"),
    )
    channel = models.CharField(
        _("Eingangskanal"), max_length=20, choices=Channel.choices, default=Channel.ONLINE
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("Bürger*in"),
    )
    contact_email = models.EmailField(_("Kontakt-E-Mail"), blank=True)

    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("Fachbereich"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("bearbeitet von"),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.RECEIVED
    )
    status_reason = models.TextField(_("Begründung"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("Duplikat von"),
    )
    due_date = models.DateField(_("fällig am"), null=True, blank=True)
    # while a question to the citizen waits (status WAITING) the SLA clock stands still; the
    # working days it stood are added to the due date when it runs again (services._set_status)
    waiting_since = models.DateTimeField(_("Rückfrage seit"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("Arbeitstage angehalten"), default=0)
    routing_state = models.CharField(
        _("Zuordnung"), max_length=10, choices=RoutingState.choices, default=RoutingState.PENDING
    )
    routing_attempts = models.PositiveSmallIntegerField(default=0)

    received_at = models.DateTimeField(_("eingegangen am"), default=timezone.now, db_index=True)
    routed_at = models.DateTimeField(_("zugeordnet am"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("angenommen am"), null=True, blank=True)
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Anliegen")
        verbose_name_plural = _("Anliegen")
        ordering = ["-received_at"]
        permissions = [("view_all_tickets", _("Alle Anliegen aller Fachbereiche sehen"))]
        indexes = [
            models.Index(fields=["department", "status", "due_date"]),
            models.Index(fields=["routing_state", "received_at"]),
            models.Index(fields=["source_content_type", "source_object_id"]),
            # Open311's updated_after/updated_before and the sync of changed requests
            models.Index(fields=["updated_at"], name="tickets_updated_at"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_overdue(self) -> bool:
        return (
            not self.is_closed
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )

    @property
    def traffic_light(self) -> str:
        return TRAFFIC_LIGHT[self.status]

    @property
    def source_kind_label(self) -> str:
        return source_kind_label(self.source_kind)

    @property
    def citizen_status_label(self) -> str:
        """The status as the person who sent the concern reads it on their own page."""
        if self.status == TicketStatus.WAITING:
            return _("Rückfrage an Sie")
        return self.public_status_label

    @property
    def public_status_label(self) -> str:
        if self.status == TicketStatus.DUPLICATE and self.duplicate_of_id:
            return _("Duplikat von %(number)s") % {"number": self.duplicate_of.number}
        # the member's label: get_status_display() builds a table of every choice, translated,
        # on each call (Open311 asks for 200 rows a page)
        status = TicketStatus._value2member_map_.get(self.status)
        return status.label if status is not None else self.status

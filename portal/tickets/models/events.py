"""A ticket's append-only timeline and the record that its events were announced."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.workflow import AppendOnlyModel
from portal.departments.models import Department

from ..constants import PUBLIC_EVENT_KINDS, EventKind, TicketStatus
from ..sources import source_status_label
from .routing import RoutingRule
from .ticket import Ticket


class TicketEvent(AppendOnlyModel):
    """One line of a ticket's timeline. Append-only: events are never changed or deleted."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("von"),
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=20, choices=TicketStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=TicketStatus.choices, blank=True)
    public_message = models.TextField(_("Nachricht an Bürger*in"), blank=True)
    # between the department and the citizen only (a question not for the public, the citizen's
    # answer, why it is not fixed): on their status page and in the back office, never public
    citizen_message = models.TextField(
        _("Nachricht zwischen Fachbereich und Bürger*in"), blank=True
    )
    internal_note = models.TextField(_("interne Notiz"), blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rule = models.ForeignKey(
        RoutingRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # a status or step of the source in its own words (an idea's stage "priorisiert", "quorum"):
    # the ticket's timeline is the source's public timeline, with the source's labels
    public_status = models.CharField(_("Stand der Herkunft"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("Ereignis")
        verbose_name_plural = _("Ereignisse")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.ticket} {self.get_kind_display()}"

    @property
    def is_public(self) -> bool:
        return bool(self.public_message or self.public_status) or self.kind in PUBLIC_EVENT_KINDS

    @property
    def public_status_label(self) -> str:
        """The source's label of this line ("" for the ticket's own lines)."""
        if not self.public_status:
            return ""
        return source_status_label(self.ticket.source_kind, self.public_status)


class EventAnnouncement(models.Model):
    """That the sources have heard of an event (`signals.ticket_event_recorded`, after commit):
    written when every receiver ran without error. The relay announces events without one again,
    so a process that dies between the commit and the receivers loses no follower's e-mail."""

    event = models.OneToOneField(
        TicketEvent, on_delete=models.CASCADE, primary_key=True, related_name="announcement"
    )
    announced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Bekanntgabe eines Ereignisses")
        verbose_name_plural = _("Bekanntgaben von Ereignissen")

    def __str__(self):
        return str(self.event_id)


def _attachment_storage():
    from django.core.files.storage import storages

    # a citizen's photo sent with an answer: outside MEDIA_ROOT, shown to staff only
    return storages["private"]


class TicketAttachment(models.Model):
    """A photo the citizen sent with an answer to a question (cleaned and re-encoded)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        TicketEvent, on_delete=models.CASCADE, related_name="attachments", null=True
    )
    image = models.FileField(storage=_attachment_storage, upload_to="tickets/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Foto zu einer Antwort")
        verbose_name_plural = _("Fotos zu Antworten")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.ticket} {self.pk}"


class TicketFeedback(models.Model):
    """The citizen's answer to "Sind Sie mit der Bearbeitung zufrieden?" after the closing: a
    rating from 1 to 5 and a comment for the department; never shown with a name, counted in
    the public figures only as numbers."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("Zufriedenheit (1–5)"))
    comment = models.TextField(_("Kommentar"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Bewertung")
        verbose_name_plural = _("Bewertungen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="tickets_feedback_rating"
            )
        ]

    def __str__(self):
        return f"{self.ticket}: {self.rating}"

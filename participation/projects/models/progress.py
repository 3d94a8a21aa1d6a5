"""What a project page reports as the project goes on: progress updates and events."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from ..constants import EventFormat
from .pages import ProjectPage


class ProjectUpdate(Orderable):
    """A progress report on the project page ("Fortschritt")."""

    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("Datum"), default=timezone.localdate)
    title = models.CharField(_("Titel"), max_length=150)
    text = models.TextField(_("Text"), max_length=2000)

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("title")]), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("Fortschrittsmeldung")


class ProjectEvent(Orderable):
    """An event of the project: on site, online or hybrid (with a livestream link)."""

    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("Titel"), max_length=150)
    description = models.TextField(_("Beschreibung"), blank=True, max_length=1000)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)
    format = models.CharField(
        _("Format"), max_length=20, choices=EventFormat.choices, default=EventFormat.ON_SITE
    )
    place = models.CharField(
        _("Ort"), max_length=200, blank=True, help_text=_("Adresse und Raum (vor Ort, hybrid).")
    )
    livestream_url = models.URLField(
        _("Link zum Livestream"), blank=True, help_text=_("Pflicht bei online und hybrid.")
    )

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("format")]),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("place"),
        FieldPanel("livestream_url"),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("Das Ende muss nach dem Beginn liegen.")
        if self.format in (EventFormat.ONLINE, EventFormat.HYBRID) and not self.livestream_url:
            errors["livestream_url"] = _(
                "Für eine Online- oder Hybrid-Veranstaltung ist der Link zum Livestream nötig."
            )
        if self.format in (EventFormat.ON_SITE, EventFormat.HYBRID) and not self.place:
            errors["place"] = _("Bitte geben Sie an, wo die Veranstaltung stattfindet.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_place(self) -> bool:
        return self.format in (EventFormat.ON_SITE, EventFormat.HYBRID)

    @property
    def has_livestream(self) -> bool:
        return self.format in (EventFormat.ONLINE, EventFormat.HYBRID)

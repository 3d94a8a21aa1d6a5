"""A project's participation phases: dated steps with their intensity and active modules."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from ..constants import INTENSITY_EXPLAINED, Intensity, Module, ResultsVisibility
from ..widgets import JSONCheckboxes
from .pages import ProjectPage


class Phase(Orderable):
    """A dated step of a project's participation with its intensity and active modules."""

    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("Name"), max_length=150)
    description = models.TextField(_("Beschreibung"), blank=True, max_length=1000)
    intensity = models.CharField(_("Beteiligungsstufe"), max_length=20, choices=Intensity.choices)
    input_use = models.TextField(
        _("Was mit den Beiträgen geschieht"),
        blank=True,
        max_length=1000,
        help_text=_("Leer: der Standardtext der Beteiligungsstufe."),
    )
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    modules = models.JSONField(
        _("Module"), default=list, blank=True, help_text=_("Was in dieser Phase möglich ist.")
    )
    poll_results = models.CharField(
        _("Umfrageergebnisse zeigen"),
        max_length=20,
        choices=ResultsVisibility.choices,
        default=ResultsVisibility.AFTER_PHASE,
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("intensity")]),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("description"),
        FieldPanel("input_use"),
        FieldPanel("modules", widget=JSONCheckboxes(choices=Module.choices)),
        FieldPanel("poll_results"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("Phase")
        verbose_name_plural = _("Phasen")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Das Ende muss nach dem Beginn liegen.")})
        unknown = set(self.modules or []) - set(Module.values)
        if unknown:
            raise ValidationError({"modules": _("Unbekanntes Modul: %s") % ", ".join(unknown)})

    def is_running(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.starts_at <= moment < self.ends_at

    def has_module(self, module: str) -> bool:
        return module in (self.modules or [])

    @property
    def module_labels(self) -> list[str]:
        return [str(Module(m).label) for m in self.modules or [] if m in Module.values]

    @property
    def intensity_label(self) -> str:
        return str(Intensity(self.intensity).label)

    def state(self, moment=None) -> str:
        """Where the phase stands at `moment`: "past", "running" or "future"."""
        moment = moment or timezone.now()
        if moment < self.starts_at:
            return "future"
        return "running" if moment < self.ends_at else "past"

    @property
    def input_use_text(self) -> str:
        return self.input_use or str(INTENSITY_EXPLAINED[self.intensity])

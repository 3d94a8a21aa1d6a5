"""Vorhaben (projects) of the city, their phases and their participation counters."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from portal.departments.models import Department, District

from .constants import (
    INTENSITY_EXPLAINED,
    SDG_CHOICES,
    EventFormat,
    Intensity,
    Module,
    ProjectStatus,
    ResultsVisibility,
)
from .widgets import JSONCheckboxes


class FieldOfAction(models.Model):
    """Handlungsfeld of the city's strategy, e.g. "Mobilität" (code "ZM 02")."""

    code = models.CharField(_("Kürzel"), max_length=20, unique=True)
    name = models.CharField(_("Bezeichnung"), max_length=150)

    panels = [FieldPanel("code"), FieldPanel("name")]

    class Meta:
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")
        ordering = ["code"]

    def __str__(self):
        # the code is the administration's filing key; citizens and editors read the name
        return self.name


class ProjectIndexPage(RoutablePageMixin, Page):
    """The Vorhabenliste: filters, list and map of the projects below it, and their export.

    Routes below the page (Wagtail's URLs allow no dot, hence no ".csv"): `export/csv/`,
    `export/xlsx/` and `karte/` (the map's GeoJSON), each with the list's filters.
    """

    intro = models.TextField(_("Einleitung"), blank=True, max_length=1000)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["projects.ProjectPage"]
    max_count = 1

    class Meta:
        verbose_name = _("Vorhabenliste")

    def get_context(self, request, *args, **kwargs):
        from .views import project_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(project_index_context(request, index=self))
        return context

    @path("export/csv/", name="export-csv")
    def export_csv(self, request):
        from .views import project_export

        return project_export(request, index=self, file_format="csv")

    @path("export/xlsx/", name="export-xlsx")
    def export_xlsx(self, request):
        from .views import project_export

        return project_export(request, index=self, file_format="xlsx")

    @path("karte/", name="map-data")
    def map_data(self, request):
        from .views import project_map_data

        return project_map_data(request, index=self)


class ProjectPage(Page):
    """A Vorhaben with the fields of the Vorhabenliste and, where planned, participation phases."""

    summary = models.TextField(_("Kurzbeschreibung"), max_length=600)
    body = RichTextField(_("Beschreibung"), blank=True)
    field_of_action = models.ForeignKey(
        FieldOfAction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("Handlungsfeld"),
    )
    cities = models.CharField(
        _("Stadt"),
        max_length=200,
        default="Schwerte",
        help_text=_("Bei Vorhaben mehrerer Städte durch Komma getrennt."),
    )
    districts = ParentalManyToManyField(
        District, blank=True, related_name="projects", verbose_name=_("Stadtteile")
    )
    location = models.CharField(_("Ort"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("Breitengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("Längengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    start_date = models.DateField(_("Laufzeit von"), null=True, blank=True)
    end_date = models.DateField(_("Laufzeit bis"), null=True, blank=True)
    status = models.CharField(
        _("Stand"),
        max_length=20,
        choices=ProjectStatus.choices,
        default=ProjectStatus.PLANNING,
        db_index=True,
    )
    cost = models.DecimalField(
        _("Kosten (Euro)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    cost_text = models.CharField(_("Kosten (Erläuterung)"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("zuständiger Fachbereich"),
    )
    contact = models.TextField(_("Ansprechperson"), blank=True, max_length=500)
    sdgs = models.JSONField(
        _("Nachhaltigkeitsziele (SDG)"), default=list, blank=True, help_text=_("Nummern 1–17")
    )
    participation_planned = models.BooleanField(_("Beteiligung geplant"), default=False)
    participation_text = models.TextField(_("Wie wird beteiligt?"), blank=True, max_length=1000)
    result = RichTextField(_("Ergebnis"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("status"), FieldPanel("field_of_action")]),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldRowPanel([FieldPanel("cost"), FieldPanel("cost_text")]),
                FieldPanel("sdgs", widget=JSONCheckboxes(choices=SDG_CHOICES, cast=int)),
            ],
            heading=_("Vorhabenliste"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("cities"),
                FieldPanel("districts"),
                FieldPanel("location"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Ort"),
        ),
        MultiFieldPanel(
            [FieldPanel("department"), FieldPanel("contact")], heading=_("Zuständigkeit")
        ),
        MultiFieldPanel(
            [FieldPanel("participation_planned"), FieldPanel("participation_text")],
            heading=_("Beteiligung"),
        ),
        InlinePanel("phases", label=_("Phase"), heading=_("Phasen der Beteiligung")),
        InlinePanel("events", label=_("Veranstaltung"), heading=_("Veranstaltungen")),
        InlinePanel("updates", label=_("Meldung"), heading=_("Fortschritt")),
        FieldPanel("result"),
    ]
    parent_page_types = ["projects.ProjectIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Vorhaben")
        verbose_name_plural = _("Vorhaben")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Das Ende liegt vor dem Beginn.")})
        if any(not isinstance(n, int) or not 1 <= n <= 17 for n in self.sdgs or []):
            raise ValidationError({"sdgs": _("Nachhaltigkeitsziele sind die Nummern 1 bis 17.")})

    def get_context(self, request, *args, **kwargs):
        from .views import project_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(project_page_context(request, project=self))
        return context

    def prefetch_parts(self) -> None:
        """Load phases (by date), updates (newest first), events (by date) and districts once,
        so that the page, `phase_at()` and every permission check reuse them."""
        if self.pk is None or getattr(self, "_cluster_related_objects", None):
            return  # a preview: the parts being edited are held in memory, not in the database
        models.prefetch_related_objects(
            [self],
            Prefetch("phases", queryset=Phase.objects.order_by("starts_at", "sort_order")),
            Prefetch("updates", queryset=ProjectUpdate.objects.order_by("-date", "-pk")),
            Prefetch("events", queryset=ProjectEvent.objects.order_by("starts_at", "pk")),
            "districts",
        )

    @property
    def sdg_labels(self) -> list[str]:
        labels = dict(SDG_CHOICES)
        return [str(labels[n]) for n in self.sdgs or [] if n in labels]

    def phase_at(self, moment=None):
        """The phase running at `moment` (now by default), or None."""
        moment = moment or timezone.now()
        for phase in self.phases.all():
            if phase.is_running(moment):
                return phase
        return None


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


class ProjectStatistics(models.Model):
    """Counters kept up to date when someone takes part, never counted on a page request."""

    project = models.OneToOneField(
        ProjectPage, on_delete=models.CASCADE, primary_key=True, related_name="statistics"
    )
    participants_online = models.PositiveIntegerField(default=0)
    participants_offline = models.PositiveIntegerField(default=0)
    contributions_online = models.PositiveIntegerField(default=0)
    contributions_offline = models.PositiveIntegerField(default=0)
    reactions = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Beteiligungsstatistik")

    def __str__(self):
        return str(self.project_id)

    @property
    def participants(self) -> int:
        return self.participants_online + self.participants_offline

    @property
    def contributions(self) -> int:
        return self.contributions_online + self.contributions_offline


class ProjectParticipant(models.Model):
    """Who has taken part in a project (for counting distinct participants), by a key: the user
    id, the browser's poll token, or the staff entry of an offline contribution."""

    project = models.ForeignKey(ProjectPage, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    offline = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="projects_participant_once")
        ]

    def __str__(self):
        return self.key


class ParticipationBlock(models.Model):
    """A person moderators have blocked from taking part (all projects), with the reason."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participation_block"
    )
    reason = models.TextField(_("Begründung"), max_length=1000)
    until = models.DateTimeField(_("gesperrt bis"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Sperre für Beteiligung")
        verbose_name_plural = _("Sperren für Beteiligung")

    def __str__(self):
        return str(self.user_id)

    def is_active(self, moment=None) -> bool:
        return self.until is None or (moment or timezone.now()) < self.until

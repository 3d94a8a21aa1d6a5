"""The Wagtail pages of the Vorhaben: the Vorhabenliste (list, map, export) and a project's page."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from portal.departments.models import Department, District

from ..constants import SDG_CHOICES, ProjectStatus
from ..widgets import JSONCheckboxes
from .fields_of_action import FieldOfAction


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
        from ..views import project_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(project_index_context(request, index=self))
        return context

    @path("export/csv/", name="export-csv")
    def export_csv(self, request):
        from ..views import project_export

        return project_export(request, index=self, file_format="csv")

    @path("export/xlsx/", name="export-xlsx")
    def export_xlsx(self, request):
        from ..views import project_export

        return project_export(request, index=self, file_format="xlsx")

    @path("karte/", name="map-data")
    def map_data(self, request):
        from ..views import project_map_data

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
        from ..views import project_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(project_page_context(request, project=self))
        return context

    def prefetch_parts(self, *parts: str) -> None:
        """Load phases (by date), updates (newest first), events (by date) and districts once (or
        only the `parts` named), so that the page, `phase_at()` and every permission check reuse
        them."""
        if self.pk is None or getattr(self, "_cluster_related_objects", None):
            return  # a preview: the parts being edited are held in memory, not in the database
        # the parts point at the page, so their modules import this one
        from .phases import Phase
        from .progress import ProjectEvent, ProjectUpdate

        lookups = {
            "phases": Prefetch(
                "phases", queryset=Phase.objects.order_by("starts_at", "sort_order")
            ),
            "updates": Prefetch("updates", queryset=ProjectUpdate.objects.order_by("-date", "-pk")),
            "events": Prefetch("events", queryset=ProjectEvent.objects.order_by("starts_at", "pk")),
            "districts": "districts",
        }
        models.prefetch_related_objects(
            [self], *(lookup for name, lookup in lookups.items() if not parts or name in parts)
        )

    def use_phases(self, phases) -> None:
        """Take `phases` (this project's, ordered by date) as if prefetched: a page that keeps
        them (portal.core.pagecache.remembered) reads none."""
        from .phases import Phase

        for phase in phases:
            phase.project = self
        queryset = Phase.objects.filter(project=self).order_by("starts_at", "sort_order")
        queryset._result_cache = list(phases)
        queryset._prefetch_done = True
        if not hasattr(self, "_prefetched_objects_cache"):
            self._prefetched_objects_cache = {}
        self._prefetched_objects_cache[Phase._meta.get_field("project").remote_field.cache_name] = (
            queryset
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

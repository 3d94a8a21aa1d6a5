"""The catalogue of categories that every source shares, with their Textbausteine."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from portal.departments.models import Department

from ..constants import CategoryKind, PublishMode, TicketStatus


class Category(ClusterableModel):
    """Shared by all sources: what a concern is about, and who handles it by default."""

    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=60, unique=True)
    icon = models.CharField(
        _("Symbol"), max_length=40, blank=True, help_text=_("Name eines Symbols, z. B. „lamp“")
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    sla_days = models.PositiveSmallIntegerField(
        _("Bearbeitungsziel (Arbeitstage)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    default_department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zuständiger Fachbereich"),
        help_text=_("Wenn keine Zuordnungsregel passt."),
    )
    publish_mode = models.CharField(
        _("Veröffentlichung"),
        max_length=20,
        choices=PublishMode.choices,
        default=PublishMode.AFTER_REVIEW,
    )
    kind = models.CharField(
        _("Verwendung"),
        max_length=20,
        choices=CategoryKind.choices,
        default=CategoryKind.REPORT,
        help_text=_(
            "Kategorien für Online-Anträge und den Ideenpool erscheinen nicht im Mängelmelder."
        ),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)
    duplicate_radius_m = models.PositiveSmallIntegerField(
        _("Umkreis für ähnliche Meldungen (m)"),
        default=250,
        validators=[MaxValueValidator(5000)],
        help_text=_(
            "Offene Meldungen dieser Kategorie im Umkreis werden vor dem Absenden gezeigt."
        ),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
                FieldPanel("description"),
                FieldRowPanel([FieldPanel("icon"), FieldPanel("sort_order")]),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("is_active")]),
            ],
            heading=_("Kategorie"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("default_department"),
                FieldPanel("sla_days"),
                FieldPanel("publish_mode"),
                FieldPanel("duplicate_radius_m"),
            ],
            heading=_("Bearbeitung"),
        ),
        InlinePanel("reply_templates", heading=_("Textbausteine"), label=_("Textbaustein")),
        InlinePanel(
            "attributes",
            heading=_("Zusatzfragen"),
            label=_("Zusatzfrage"),
            help_text=_(
                "Fragen, die der Mängelmelder nach der Wahl dieser Kategorie stellt (auch über "
                "die Open311-Schnittstelle). Die Antworten sehen nur Mitarbeitende."
            ),
        ),
    ]

    class Meta:
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class ReplyTemplate(Orderable):
    """A Textbaustein: the prefilled public message for a status change in a category."""

    category = ParentalKey(Category, on_delete=models.CASCADE, related_name="reply_templates")
    status = models.CharField(_("für Status"), max_length=20, choices=TicketStatus.choices)
    text = models.TextField(_("Text"))

    panels = [FieldPanel("status"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("Textbaustein")
        verbose_name_plural = _("Textbausteine")

    def __str__(self):
        return f"{self.category} – {self.get_status_display()}"

"""The service catalogue (Leistungskatalog): one page per city service, grouped by Lebenslage.

The three flags `is_online`, `has_fee` and `has_epayment` are the catalogue's KPIs; reads for the
public pages and the API live in selectors.py.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.forms import CheckboxSelectMultiple, Select
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.core.money import euros
from portal.core.online_forms import online_form_fees
from portal.departments.models import Department
from portal.tickets.constants import CategoryKind
from portal.tickets.models import Category

from .blocks import RequiredDocumentsBlock
from .forms import ServicePageForm

LEIKA_KEY_LENGTH = 14

leika_key_validator = RegexValidator(
    regex=rf"^\d{{{LEIKA_KEY_LENGTH}}}$",
    message=_("Der LeiKa-Schlüssel besteht aus genau 14 Ziffern, ohne Leer- oder Trennzeichen."),
)


class Topic(models.Model):
    """A Lebenslage ("Familie und Kinder", "Wohnen und Bauen" …) that groups services."""

    name = models.CharField(_("Name"), max_length=80, unique=True)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=60, unique=True)
    description = models.CharField(_("Kurzbeschreibung"), max_length=200, blank=True)
    icon = models.CharField(
        _("Symbol"),
        max_length=40,
        blank=True,
        help_text=_(
            "Name eines Symbols: family, house, leaf, id-card, book, car, briefcase oder heart."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("icon"), FieldPanel("sort_order")]),
    ]

    class Meta:
        verbose_name = _("Lebenslage")
        verbose_name_plural = _("Lebenslagen")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class ServiceIndexPage(Page):
    """The catalogue: search, Lebenslagen and filters over all service pages below it."""

    intro = models.TextField(_("Einleitung"), blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["catalogue.ServicePage"]
    max_count = 1

    class Meta:
        verbose_name = _("Leistungskatalog")

    def get_context(self, request, *args, **kwargs):
        from .views import service_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(service_index_context(request, index=self))
        return context


class ServicePage(Page):
    """One city service (Leistung): what it is, what it costs, what to bring, and where to apply."""

    teaser = models.TextField(
        _("Kurzbeschreibung"),
        max_length=300,
        help_text=_("Ein bis zwei Sätze für die Übersicht und Suchergebnisse."),
    )
    body = RichTextField(
        _("Beschreibung"),
        blank=True,
        features=["h3", "bold", "italic", "link", "document-link", "ol", "ul"],
    )
    topics = ParentalManyToManyField(
        Topic, blank=True, related_name="services", verbose_name=_("Lebenslagen")
    )
    leika_key = models.CharField(
        _("LeiKa-Schlüssel"),
        max_length=LEIKA_KEY_LENGTH,
        blank=True,
        validators=[leika_key_validator],
        help_text=_(
            "Leistungsschlüssel aus dem Leistungskatalog (LeiKa/FIM), 14 Ziffern. Nur eintragen, "
            "wenn er sicher bekannt ist."
        ),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        # null only for drafts: a published service always names its department
        null=True,
        related_name="services",
        verbose_name=_("zuständiger Fachbereich"),
    )
    contact = models.TextField(
        _("Kontakt"),
        blank=True,
        help_text=_("Leer lassen, dann wird die Anschrift des Fachbereichs angezeigt."),
    )
    is_online = models.BooleanField(_("online möglich"), default=False, db_index=True)
    has_fee = models.BooleanField(_("gebührenpflichtig"), default=False)
    has_epayment = models.BooleanField(
        _("online bezahlbar"),
        default=False,
        help_text=_("Nur bei Leistungen, die online möglich und gebührenpflichtig sind."),
    )
    fee_text = models.CharField(
        _("Gebühren (Text)"),
        max_length=300,
        blank=True,
        help_text=_("Z. B. „je Urkunde; jede weitere Ausfertigung 6,00 €“."),
    )
    fee_amount = models.DecimalField(
        _("Gebühr in Euro"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    required_documents = StreamField(
        RequiredDocumentsBlock(),
        blank=True,
        verbose_name=_("Benötigte Unterlagen"),
    )
    processing_time = models.CharField(_("Bearbeitungsdauer"), max_length=200, blank=True)
    legal_basis = models.TextField(_("Rechtsgrundlage"), blank=True, max_length=1000)
    external_url = models.URLField(
        _("Adresse des externen Portals"),
        blank=True,
        help_text=_("Wenn die Leistung in einem Landesportal liegt, z. B. Servicekonto.NRW."),
    )
    external_portal_name = models.CharField(
        _("Name des externen Portals"),
        max_length=80,
        blank=True,
        help_text=_("Erscheint auf der Schaltfläche: „Zum Servicekonto.NRW“."),
    )
    form_key = models.CharField(
        _("Online-Formular"),
        max_length=60,
        blank=True,
        help_text=_("Ein im Portal programmiertes Antragsformular."),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
        limit_choices_to={"kind": CategoryKind.APPLICATION},
        verbose_name=_("Kategorie für Anträge"),
        help_text=_(
            "Anträge zu dieser Leistung werden zu Anliegen in dieser Kategorie; ihr Fachbereich "
            "erhält sie. Leer gelassen, werden sie zu „Sonstiger Antrag“: Den Fachbereich "
            "bestimmen dann die Zuordnungsregeln, sonst der Auffang-Fachbereich."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("teaser"),
        FieldPanel("body"),
        FieldPanel("topics", widget=CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("is_online"), FieldPanel("has_fee"), FieldPanel("has_epayment")]
                ),
                FieldRowPanel([FieldPanel("fee_amount"), FieldPanel("fee_text")]),
            ],
            heading=_("Kennzahlen und Gebühren"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("form_key"),
                FieldRowPanel([FieldPanel("external_url"), FieldPanel("external_portal_name")]),
                # a plain list: Wagtail's snippet chooser would offer report categories too
                FieldPanel("category", widget=Select),
                HelpPanel(
                    _(
                        "Die Schaltfläche „Online beantragen“ führt zuerst zum externen Portal, "
                        "sonst zum Online-Formular, sonst zur ersten veröffentlichten Unterseite."
                    )
                ),
            ],
            heading=_("Online-Antrag"),
        ),
        FieldPanel("required_documents"),
        FieldRowPanel([FieldPanel("processing_time"), FieldPanel("leika_key")]),
        FieldPanel("legal_basis"),
        MultiFieldPanel(
            [FieldPanel("department"), FieldPanel("contact")],
            heading=_("Zuständigkeit"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("body"),
        index.SearchField("leika_key"),
        index.SearchField("required_documents"),
        index.AutocompleteField("teaser"),
        index.FilterField("is_online"),
        index.FilterField("has_fee"),
        index.FilterField("has_epayment"),
    ]

    base_form_class = ServicePageForm
    parent_page_types = ["catalogue.ServiceIndexPage"]
    # the editor-built form page type joins here later
    subpage_types = ["eforms.ServiceFormPage"]  # editor-built application forms

    class Meta:
        verbose_name = _("Leistung")
        verbose_name_plural = _("Leistungen")

    def clean(self):
        super().clean()
        errors = {}
        if self.has_epayment and not (self.is_online and self.has_fee):
            errors["has_epayment"] = _(
                "Online bezahlen kann man nur Leistungen, die online möglich und "
                "gebührenpflichtig sind."
            )
        if not self.has_fee and self.fee_amount:
            errors["fee_amount"] = _(
                "Eine Gebühr ist angegeben, aber die Leistung ist nicht als gebührenpflichtig "
                "markiert."
            )
        errors.update(self._fee_schedule_errors())
        if self.external_url and not self.external_portal_name.strip():
            errors["external_portal_name"] = _(
                "Bitte nennen Sie das externe Portal; sein Name steht auf der Schaltfläche."
            )
        if errors:
            raise ValidationError(errors)

    # --- fees: one source of truth -------------------------------------------------------------
    def form_fees(self) -> list | None:
        """The fee schedule of the page's code-defined form: where a form charges by one, the
        page publishes that schedule, never a text of its own. None: the page's fields apply."""
        if not self.form_key:
            return None
        return online_form_fees(self.form_key)

    def _fee_schedule_errors(self) -> dict:
        fees = self.form_fees()
        if fees is None:
            return {}
        errors = {}
        schedule = "; ".join(str(fee) for fee in fees)
        if self.fee_amount is not None or self.fee_text.strip():
            message = _(
                "Die Gebühren legt das Online-Formular fest („%(schedule)s“); so stehen sie auch "
                "auf der Seite. Bitte lassen Sie dieses Feld leer."
            ) % {"schedule": schedule}
            if self.fee_amount is not None:
                errors["fee_amount"] = message
            if self.fee_text.strip():
                errors["fee_text"] = message
        charges = any(fee.amount_minor for fee in fees)
        if charges != self.has_fee:
            errors["has_fee"] = (
                _("Das Online-Formular erhebt eine Gebühr; bitte markieren Sie die Leistung als "
                  "gebührenpflichtig.")
                if charges
                else _("Das Online-Formular erhebt keine Gebühr; bitte nehmen Sie die Markierung "
                       "„gebührenpflichtig“ weg.")
            )  # fmt: skip
        return errors

    @property
    def published_fee_amount(self) -> Decimal | None:
        """The amount on the card and in the API: the form's first fee, else the page's."""
        fees = self.form_fees()
        if fees is None:
            return self.fee_amount
        amounts = [fee.amount_minor for fee in fees if fee.amount_minor]
        return Decimal(amounts[0] if amounts else 0).scaleb(-2)

    @property
    def published_fee_text(self) -> str:
        """The fee text of the API: the form's schedule, else the page's text."""
        fees = self.form_fees()
        if fees is None:
            return self.fee_text
        return "; ".join(str(fee) for fee in fees)

    @property
    def fee_summary(self) -> str:
        """The fee line of the service page and the form's start page: "12,00 € für die erste
        Urkunde; 6,00 € für jede weitere …", "30,00 € – je Jahr", "gebührenfrei" …"""
        fees = self.form_fees()
        if fees is not None:
            text = self.published_fee_text
            if any(fee.amount_minor for fee in fees):
                return text
            return " – ".join(part for part in (str(_("gebührenfrei")), text) if part)
        if not self.has_fee:
            return " – ".join(part for part in (str(_("gebührenfrei")), self.fee_text) if part)
        if self.fee_amount is None:
            return self.fee_text or str(_("gebührenpflichtig"))
        amount = euros(int((self.fee_amount * 100).to_integral_value()))
        return " – ".join(part for part in (amount, self.fee_text) if part)

    @property
    def initial(self) -> str:
        """The letter the A–Z list files the service under."""
        return self.title[:1].upper()

    def apply_url(self) -> str | None:
        """Where "Online beantragen" leads: the external portal, the portal's own form, or the
        first published subpage (an editor-built form); None if the service is not online."""
        if self.external_url:
            return self.external_url
        if self.form_key:
            return reverse("eforms:form-start", kwargs={"key": self.form_key})
        if hasattr(self, "_first_live_child"):
            child = self._first_live_child  # set in bulk by selectors.service_attach_apply_pages
        else:
            child = self.get_children().live().order_by("path").first()
        return child.url if child is not None else None

    @property
    def apply_is_external(self) -> bool:
        return bool(self.external_url)

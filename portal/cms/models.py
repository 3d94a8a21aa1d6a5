from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.core.pagecache import lazy_context, remembered

from .blocks import BodyBlock, TileBlock
from .memo import site_for_request

NEWS_PER_PAGE = 10


class HomePage(Page):
    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link"])
    tiles = StreamField(
        [("tile", TileBlock())],
        blank=True,
        verbose_name=_("Einstiegskacheln"),
        max_num=8,
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("tiles")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.StandardPage",
        "cms.NewsIndexPage",
        "catalogue.ServiceIndexPage",
        "projects.ProjectIndexPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Startseite")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # read when first used: the page's content is a public part ({% public_part %})
        context.update(lazy_context(self._news, "news_index", "latest_news"))
        return context

    def _news(self) -> dict:
        news_index = NewsIndexPage.objects.child_of(self).live().first()
        return {
            "news_index": news_index,
            "latest_news": list(news_index.news_items()[:3]) if news_index is not None else [],
        }


class StandardPage(Page):
    intro = models.TextField(_("Einleitung"), blank=True, max_length=500)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("Inhalt"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("Inhaltsseite")


class NewsIndexPage(Page):
    intro = models.TextField(_("Einleitung"), blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Nachrichtenübersicht")

    def news_items(self):
        return NewsPage.objects.child_of(self).live().order_by("-date", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.news_items(), NEWS_PER_PAGE)
        context["page_obj"] = paginator.get_page(request.GET.get("seite"))
        return context


class NewsPage(Page):
    date = models.DateField(_("Datum"))
    teaser = models.TextField(_("Anreißer"), max_length=300)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("Inhalt"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("teaser"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Nachricht")


def _page_link(verbose_name) -> models.ForeignKey:
    return models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=verbose_name,
    )


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Texts and links shown in the footer of every page, and the contact of the data protection
    officer for the privacy page."""

    impressum_page = _page_link(_("Impressum"))
    privacy_page = _page_link(_("Datenschutzerklärung"))
    accessibility_page = _page_link(_("Erklärung zur Barrierefreiheit"))
    easy_language_page = _page_link(_("Leichte Sprache"))
    contact_address = models.TextField(_("Anschrift"), blank=True)
    contact_phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    contact_email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    # Art. 13 (1) b and Art. 37 (7) GDPR: the contact of the data protection officer is published
    dpo_name = models.CharField(
        _("Datenschutzbeauftragte*r"),
        max_length=200,
        blank=True,
        help_text=_(
            "Zum Beispiel „Datenschutzbeauftragte der Stadt Schwerte“. Ein Name ist nicht nötig: "
            "die Anschrift der Stelle genügt."
        ),
    )
    dpo_address = models.TextField(
        _("Anschrift Datenschutz"),
        blank=True,
        help_text=_("Postanschrift, eine Angabe je Zeile."),
    )
    dpo_phone = models.CharField(_("Telefon Datenschutz"), max_length=40, blank=True)
    dpo_email = models.EmailField(
        _("E-Mail-Adresse Datenschutz"),
        blank=True,
        help_text=_("Ein Funktionspostfach wie datenschutz@stadt.example, kein persönliches."),
    )

    # the footer of every page reads these; one query instead of five
    select_related = ["impressum_page", "privacy_page", "accessibility_page", "easy_language_page"]

    @classmethod
    def for_request(cls, request):
        """As Wagtail's, from the per-process memo while nothing public has changed."""
        attr_name = cls.get_cache_attr_name()
        if not hasattr(request, attr_name):
            site = site_for_request(request)
            if site is not None:
                found = remembered(request, ("site_settings", site.pk), lambda: cls.for_site(site))
                found._request = request  # as Wagtail sets it, for page links without a query
                setattr(request, attr_name, found)
        return super().for_request(request)

    panels = [
        MultiFieldPanel(
            [
                PageChooserPanel("impressum_page"),
                PageChooserPanel("privacy_page"),
                PageChooserPanel("accessibility_page"),
                PageChooserPanel("easy_language_page"),
            ],
            heading=_("Pflichtseiten im Fußbereich"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_address"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_email"),
            ],
            heading=_("Kontakt"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("dpo_name"),
                FieldPanel("dpo_address"),
                FieldPanel("dpo_phone"),
                FieldPanel("dpo_email"),
            ],
            heading=_("Datenschutzbeauftragte*r"),
            help_text=_(
                "Pflichtangabe nach Art. 13 DSGVO. Erscheint auf jeder Seite mit dem Baustein "
                "„Kontakt Datenschutz“, etwa in der Datenschutzerklärung."
            ),
        ),
    ]

    class Meta:
        verbose_name = _("Website-Einstellungen")
        verbose_name_plural = _("Website-Einstellungen")

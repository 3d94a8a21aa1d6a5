from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Bild"))
    alt_text = blocks.CharBlock(
        label=_("Alternativtext"),
        max_length=250,
        help_text=_("Beschreibt das Bild für Menschen, die es nicht sehen können."),
    )
    caption = blocks.CharBlock(label=_("Bildunterschrift"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Bild")
        template = "blocks/image_block.html"


class InfoboxBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Art"),
        choices=[("info", _("Information")), ("hint", _("Hinweis")), ("warning", _("Warnung"))],
        default="info",
    )
    title = blocks.CharBlock(label=_("Überschrift"), max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "help"
        label = _("Infokasten")
        template = "blocks/infobox_block.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Zitat"))
    attribution = blocks.CharBlock(label=_("Quelle"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("Zitat")
        template = "blocks/quote_block.html"


class PrivacyContactBlock(blocks.StaticBlock):
    """The contact of the data protection officer, from the site settings: entered once, shown
    wherever an editor places this block."""

    class Meta:
        icon = "mail"
        label = _("Kontakt Datenschutz")
        admin_text = _(
            "Zeigt den Kontakt der*des Datenschutzbeauftragten aus den Website-Einstellungen."
        )
        template = "blocks/privacy_contact_block.html"


class ProcessingOverviewBlock(blocks.StaticBlock):
    """What personal data the portal processes, for what, on which legal basis and for how long:
    read from the declarations of the modules (portal.core.privacy), so it is never out of date."""

    class Meta:
        icon = "list-ul"
        label = _("Übersicht der Verarbeitungen")
        admin_text = _(
            "Zeigt je Datenart Zweck, Rechtsgrundlage und Speicherdauer, wie sie im Portal "
            "festgelegt sind (dieselben Angaben wie docs/datenschutz.md)."
        )
        template = "blocks/processing_overview_block.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Zwischenüberschrift"),
        max_length=120,
        form_classname="title",
        icon="title",
        template="blocks/heading_block.html",
    )
    paragraph = blocks.RichTextBlock(
        label=_("Absatz"),
        features=["bold", "italic", "link", "document-link", "ul", "ol", "h3", "h4"],
        icon="pilcrow",
    )
    image = ImageBlock()
    infobox = InfoboxBlock()
    quote = QuoteBlock()
    privacy_contact = PrivacyContactBlock()
    processing_overview = ProcessingOverviewBlock()


class TileValue(blocks.StructValue):
    def href(self) -> str:
        page = self.get("page")
        if page:
            return page.url
        return self.get("url") or ""


class TileBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"), max_length=60)
    text = blocks.TextBlock(label=_("Kurzbeschreibung"), max_length=200)
    icon = blocks.ChoiceBlock(
        label=_("Symbol"),
        choices=[
            ("report", _("Mängel melden")),
            ("service", _("Online-Dienste")),
            ("idea", _("Ideen")),
            ("participate", _("Mitmachen")),
        ],
    )
    page = blocks.PageChooserBlock(label=_("Zielseite"), required=False)
    url = blocks.CharBlock(
        label=_("oder Adresse"),
        required=False,
        max_length=200,
        help_text=_("Pfad wie /maengel/ oder eine vollständige Adresse"),
    )

    class Meta:
        icon = "link"
        label = _("Kachel")
        template = "blocks/tile_block.html"
        value_class = TileValue

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class RequiredDocumentBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Unterlage"), max_length=200)
    note = blocks.CharBlock(
        label=_("Hinweis"),
        required=False,
        max_length=300,
        help_text=_("Z. B. „nur bei Urkunden über andere Personen“."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Unterlage")
        template = "catalogue/blocks/required_document_block.html"
        preview_value = {"name": "Personalausweis oder Reisepass", "note": "bei Abholung"}
        description = _("Ein Dokument, das Antragstellende vorlegen müssen.")


class RequiredDocumentsBlock(blocks.StreamBlock):
    document = RequiredDocumentBlock()

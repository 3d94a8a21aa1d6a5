"""The Ideenpool's open data: every visible idea with its public title, stage, Handlungsfeld,
district and supports; never its text or who wrote it (portal.core.opendata)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.opendata import Dataset, point_feature, register

from .selectors import idea_list_public

HEADER = [
    _("Nummer"), _("Titel"), _("Stufe"), _("Handlungsfeld"), _("Stadtteil"),
    _("eingereicht am"), _("Unterstützungen"), _("Quorum erreicht"), _("Breitengrad"),
    _("Längengrad"),
]  # fmt: skip


def _ideas():
    return idea_list_public().order_by("submitted_at", "pk")


def _values(idea) -> dict:
    return {
        "nummer": idea.pk,
        "titel": idea.public_title,
        "stufe": idea.get_stage_display(),
        "handlungsfeld": str(idea.field_of_action),
        "stadtteil": idea.district.name if idea.district_id else "",
        "eingereicht_am": timezone.localtime(idea.submitted_at).date(),
        "unterstuetzungen": idea.support_count,
        "quorum_erreicht": bool(idea.quorum_reached_at),
    }


def idea_rows():
    def rows():
        for idea in _ideas().iterator(chunk_size=1000):
            values = _values(idea)
            values["quorum_erreicht"] = _("ja") if values["quorum_erreicht"] else _("nein")
            yield [*values.values(), idea.latitude, idea.longitude]

    return [str(title) for title in HEADER], rows()


def idea_features():
    for idea in _ideas().iterator(chunk_size=1000):
        values = _values(idea)
        values["eingereicht_am"] = values["eingereicht_am"].isoformat()
        yield point_feature(idea.longitude, idea.latitude, values)


register(
    Dataset(
        slug="ideen",
        title=_("Ideen aus dem Ideenpool"),
        description=_(
            "Alle sichtbaren Ideen des Ideenpools mit Titel, Stufe, Handlungsfeld, Stadtteil, "
            "Datum und Unterstützungen. Ohne die Texte und ohne die Namen der Einreichenden."
        ),
        keywords=("Ideenpool", "Bürgerbeteiligung", "Ideen"),
        theme="SOCI",
        rows=idea_rows,
        features=idea_features,
        order=20,
    )
)

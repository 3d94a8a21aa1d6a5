"""The city's districts (Stadtteile and Stadtbezirke) with their outlines (portal.core.opendata)."""

from django.utils.translation import gettext_lazy as _

from portal.core.opendata import Dataset, register

from .models import District


def _districts():
    return District.objects.select_related("parent").order_by("name")


def district_rows():
    rows = (
        [d.name, d.get_kind_display(), d.parent.name if d.parent_id else ""] for d in _districts()
    )
    return [str(_("Name")), str(_("Art")), str(_("gehört zu"))], rows


def district_features():
    for district in _districts():
        if not district.area:
            continue
        yield {
            "type": "Feature",
            "geometry": district.area,
            "properties": {
                "name": district.name,
                "art": str(district.get_kind_display()),
                "gehoert_zu": district.parent.name if district.parent_id else None,
            },
        }


register(
    Dataset(
        slug="stadtteile",
        title=_("Stadtteile und Stadtbezirke"),
        description=_(
            "Die Stadtteile und Stadtbezirke, nach denen das Portal Anliegen zuordnet und zählt, "
            "mit ihren Umrissen (WGS 84)."
        ),
        keywords=("Stadtteile", "Geodaten", "Verwaltungsgrenzen"),
        theme="REGI",
        rows=district_rows,
        features=district_features,
        order=40,
    )
)

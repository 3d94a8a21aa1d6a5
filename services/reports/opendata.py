"""The Mängelmelder's open data: every published report, without any text a citizen wrote and
without who sent it (portal.core.opendata)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.opendata import Dataset, point_feature, register
from portal.tickets.constants import TicketStatus

from .models import Report

FIELDS = (
    "ticket__number",
    "category__name",
    "ticket__status",
    "created_at",
    "ticket__closed_at",
    "ticket__district__name",
    "ticket__department__name",
    "latitude",
    "longitude",
    "support_count",
)
HEADER = [
    _("Vorgangsnummer"),
    _("Kategorie"),
    _("Status"),
    _("gemeldet am"),
    _("abgeschlossen am"),
    _("Stadtteil"),
    _("zuständig"),
    _("Breitengrad"),
    _("Längengrad"),
    _("Unterstützungen"),
]


def _published():
    return (
        Report.objects.filter(is_published=True, ticket__isnull=False)
        .order_by("created_at", "pk")
        .values_list(*FIELDS)
    )


def _status(value: str) -> str:
    member = TicketStatus._value2member_map_.get(value)
    return str(member.label) if member else value


def _reports():
    """Each published report as the open data shows it (CSV columns = these keys, in order)."""
    for (
        number,
        category,
        status,
        created,
        closed,
        district,
        department,
        lat,
        lon,
        supports,
    ) in _published().iterator(chunk_size=2000):
        yield {
            "vorgangsnummer": number,
            "kategorie": category,
            "status": _status(status),
            "gemeldet_am": timezone.localtime(created).date(),
            "abgeschlossen_am": timezone.localtime(closed).date() if closed else None,
            "stadtteil": district or "",
            "zustaendig": department or "",
            "breitengrad": lat,
            "laengengrad": lon,
            "unterstuetzungen": supports,
        }


def report_rows():
    return [str(title) for title in HEADER], (list(row.values()) for row in _reports())


def report_features():
    for row in _reports():
        latitude, longitude = row.pop("breitengrad"), row.pop("laengengrad")
        for key in ("gemeldet_am", "abgeschlossen_am"):
            row[key] = row[key].isoformat() if row[key] else None
        yield point_feature(longitude, latitude, row)


register(
    Dataset(
        slug="maengelmeldungen",
        title=_("Mängelmeldungen"),
        description=_(
            "Alle veröffentlichten Meldungen des Mängelmelders mit Kategorie, Status, Datum, "
            "Stadtteil, zuständigem Fachbereich, Ort und Zahl der Unterstützungen. Ohne die "
            "Texte der Meldenden und ohne Angaben zu ihrer Person."
        ),
        keywords=("Mängelmelder", "Straßenschäden", "Anliegen", "Open311"),
        theme="GOVE",
        rows=report_rows,
        features=report_features,
        order=10,
    )
)

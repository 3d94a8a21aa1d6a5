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


def report_rows():
    def rows():
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
            yield [
                number, category, _status(status), timezone.localtime(created),
                timezone.localtime(closed) if closed else None, district or "",
                department or "", lat, lon, supports,
            ]  # fmt: skip

    return [str(title) for title in HEADER], rows()


def report_features():
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
        yield point_feature(
            lon,
            lat,
            {
                "vorgangsnummer": number,
                "kategorie": category,
                "status": _status(status),
                "gemeldet_am": timezone.localtime(created).date().isoformat(),
                "abgeschlossen_am": timezone.localtime(closed).date().isoformat()
                if closed
                else None,
                "stadtteil": district,
                "zustaendig": department,
                "unterstuetzungen": supports,
            },
        )


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

"""The public figures (/zahlen/) as open data: every cell of every table of the newest
snapshot, one line each."""

from django.utils.translation import gettext_lazy as _

from ..figures.services import figures_latest
from . import Dataset, register


def figure_rows():
    header = [str(t) for t in (_("Bereich"), _("Tabelle"), _("Zeile"), _("Spalte"), _("Wert"))]
    snapshot = figures_latest()

    def rows():
        for section in snapshot.sections if snapshot else []:
            for figure in section["figures"]:
                yield [section["title"], "", "", figure["label"], figure["display"]]
            for table in section["tables"]:
                for row in table["rows"]:
                    for column, cell in zip(table["columns"], row["cells"], strict=True):
                        yield [section["title"], table["caption"], row["label"],
                               column["label"], cell["display"]]  # fmt: skip

    return header, rows()


register(
    Dataset(
        slug="zahlen",
        title=_("Öffentliche Zahlen zu Anliegen, Ideen und Beteiligung"),
        description=_(
            "Die Zahlen der Seite „Zahlen und Fakten“: Anliegen je Fachbereich, Kategorie, "
            "Monat und Eingangsweg, Bearbeitungszeiten, Anteile in der Frist, Zufriedenheit, "
            "Ideen und Beteiligung; jede Nacht neu berechnet."
        ),
        keywords=("Statistik", "Transparenz", "Verwaltung"),
        theme="GOVE",
        rows=figure_rows,
        order=50,
    )
)

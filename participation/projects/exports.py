"""CSV and XLSX export of the (filtered) Vorhabenliste: German column names, no personal data
(the contact person is left out; the department's name is public anyway).

CSV is written the way German spreadsheet programs open it without asking: UTF-8 with BOM,
semicolons, decimal comma, dates as TT.MM.JJJJ. Cells that a spreadsheet would run as a formula
get a leading apostrophe.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from portal.core.spreadsheets import csv_bytes, formula_safe

from .selectors import project_statistics


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    value: Callable


def _yes_no(value: bool) -> str:
    return _("ja") if value else _("nein")


def columns(index_url: str) -> list[Column]:
    # projects are children of the Vorhabenliste: their address is the list's and their slug
    def url(project):
        return f"{index_url}{project.slug}/"

    return [
        Column(_("Titel"), 40, lambda p: p.title),
        Column(_("Kurzbeschreibung"), 60, lambda p: p.summary),
        Column(_("Handlungsfeld"), 30, lambda p: str(p.field_of_action or "")),
        Column(_("Stand"), 22, lambda p: p.get_status_display()),
        Column(_("Stadt"), 16, lambda p: p.cities),
        Column(_("Stadtteile"), 24, lambda p: ", ".join(d.name for d in p.districts.all())),
        Column(_("Ort"), 30, lambda p: p.location),
        Column(_("Breitengrad"), 12, lambda p: p.latitude),
        Column(_("Längengrad"), 12, lambda p: p.longitude),
        Column(_("Laufzeit von"), 14, lambda p: p.start_date),
        Column(_("Laufzeit bis"), 14, lambda p: p.end_date),
        Column(_("Kosten (Euro)"), 16, lambda p: p.cost),
        Column(_("Kosten (Erläuterung)"), 30, lambda p: p.cost_text),
        Column(_("Zuständiger Fachbereich"), 30, lambda p: getattr(p.department, "name", "")),
        Column(_("Nachhaltigkeitsziele (SDG)"), 18, lambda p: ", ".join(map(str, p.sdgs or []))),
        Column(_("Beteiligung geplant"), 12, lambda p: _yes_no(p.participation_planned)),
        Column(_("Beteiligung läuft"), 12, lambda p: _yes_no(p.participation_open)),
        Column(_("Teilnehmende"), 14, lambda p: project_statistics(p).participants),
        Column(_("Beiträge"), 12, lambda p: project_statistics(p).contributions),
        Column(_("Reaktionen"), 12, lambda p: project_statistics(p).reactions),
        Column(_("Adresse im Portal"), 50, url),
    ]


def export_csv(projects: Iterable, *, index_url: str) -> bytes:
    cols = columns(index_url)
    return csv_bytes([c.title for c in cols], ([c.value(p) for c in cols] for p in projects))


def export_xlsx(projects: Iterable, *, index_url: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    cols = columns(index_url)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Vorhaben"))
    for number, column in enumerate(cols, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in cols:
        cell = WriteOnlyCell(sheet, value=column.title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for project in projects:
        row = []
        for column in cols:
            value = column.value(project)
            if isinstance(value, Decimal):
                value = float(value)
            cell = WriteOnlyCell(sheet, value=formula_safe(value))
            if isinstance(value, date):
                cell.number_format = "DD.MM.YYYY"
            elif isinstance(value, str):
                cell.data_type = "s"  # text stays text, never a formula
            row.append(cell)
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

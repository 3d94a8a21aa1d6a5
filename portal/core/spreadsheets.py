"""Cells for CSV and XLSX exports: never a formula, and the way German spreadsheets read them.

Every export of the portal (the clerks' ticket list, the Vorhabenliste, the council's idea list)
writes its cells through here. A cell a spreadsheet would run as a formula (CSV injection: it
starts with =, +, -, @, a TAB or a CR) gets a leading apostrophe; control characters are removed
first (`portal.core.text`), since they could hide a formula's "=" and openpyxl refuses them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from .text import clean_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value):
    """Text cleaned and kept from being a formula; any other value unchanged (for XLSX cells)."""
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cell(value) -> str:
    """One CSV cell: empty for None, dates as TT.MM.JJJJ (local), decimal comma, safe text."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return formula_safe(str(value))


def csv_writer(stream):
    """A writer for the CSV German spreadsheet programs open without asking: semicolons, CRLF.
    The caller writes the UTF-8 byte order mark ("\\ufeff") first."""
    return csv.writer(stream, delimiter=";", lineterminator="\r\n")


def csv_bytes(header: Iterable, rows: Iterable[Iterable]) -> bytes:
    """A whole export as UTF-8 with BOM; every cell goes through `csv_cell`."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow([csv_cell(title) for title in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")

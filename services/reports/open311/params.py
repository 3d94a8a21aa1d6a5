"""Parsing the parameters of Open311 requests. An empty parameter counts as an absent one."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .geocoding import address_locate

MAX_WINDOW = datetime.timedelta(days=90)
# servicerequestupdates without start_date: the day up to the end of the window
UPDATES_DEFAULT_WINDOW = datetime.timedelta(hours=24)
ADDRESS_MAX = 200
_MICRODEGREE = Decimal("0.000001")
# "+01:00" arrives as " 01:00" when a client does not encode the plus sign of the zone
_UNENCODED_PLUS = re.compile(r"^(.*\d) (\d\d:?\d\d)$")


class Open311Error(Exception):
    def __init__(self, status: int, description: str, *, headers: dict | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.headers = headers or {}


def param(data, name: str) -> str | None:
    """The stripped value, or None when the parameter is absent or empty. Control characters
    (NUL too) never arrive here: portal.core.middleware_text removes them from every request."""
    return data.get(name, "").strip() or None


def list_param(data, name: str) -> list[str]:
    """A comma-separated parameter as a list without empty items."""
    value = param(data, name) or ""
    return [item.strip() for item in value.split(",") if item.strip()]


def int_param(data, name: str, *, default: int, maximum: int) -> int:
    value = param(data, name)
    if value is None:
        return default
    if not (value.isdecimal() and len(value) <= len(str(maximum)) and 1 <= int(value) <= maximum):
        raise Open311Error(
            400,
            _("%(name)s muss eine ganze Zahl von 1 bis %(max)s sein.")
            % {"name": name, "max": maximum},
        )
    return int(value)


def bool_param(data, name: str) -> bool:
    """`true` or `false` (in any case); absent is false."""
    value = (param(data, name) or "false").lower()
    if value not in ("true", "false"):
        raise Open311Error(400, _("%(name)s kennt nur die Werte true und false.") % {"name": name})
    return value == "true"


def datetime_param(data, name: str) -> datetime.datetime | None:
    value = param(data, name)
    if value is None:
        return None
    value = _UNENCODED_PLUS.sub(r"\1+\2", value)
    try:
        parsed = parse_datetime(value)
        if parsed is not None and parsed.tzinfo is not None:
            # in UTC: out of range near year 1 or 9999 raises here, and the database takes
            # offsets up to ±15:59 only ("+16:35" is valid ISO 8601)
            return parsed.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        pass
    raise Open311Error(
        400,
        _(
            "%(name)s ist kein gültiges Datum. Erwartet wird eine W3C-Zeitangabe mit Zeitzone, "
            "z. B. 2026-11-23T09:15:00+01:00."
        )
        % {"name": name},
    )


def window(data) -> tuple[datetime.datetime, datetime.datetime]:
    """start_date/end_date, at most 90 days apart. Without both, the window is 90 days long:
    the most recent 90 days, or 90 days from the start / up to the end that was given."""
    start = datetime_param(data, "start_date")
    end = datetime_param(data, "end_date")
    try:
        if start is None and end is None:
            end = timezone.now()
        if start is None:
            start = end - MAX_WINDOW
        elif end is None:
            end = start + MAX_WINDOW
    except OverflowError:
        raise Open311Error(400, _("Der Zeitraum liegt außerhalb des gültigen Bereichs.")) from None
    return _checked_window(start, end)


def updates_window(data) -> tuple[datetime.datetime, datetime.datetime]:
    """start_date (exclusive) and end_date (inclusive) of servicerequestupdates, at most 90 days
    apart. Without end_date the window ends now (or at a start_date in the future: then it is
    empty), without start_date it is the 24 hours up to its end."""
    start = datetime_param(data, "start_date")
    end = datetime_param(data, "end_date")
    try:
        if end is None:
            end = max(timezone.now(), start) if start is not None else timezone.now()
        if start is None:
            start = end - UPDATES_DEFAULT_WINDOW
    except OverflowError:
        raise Open311Error(400, _("Der Zeitraum liegt außerhalb des gültigen Bereichs.")) from None
    return _checked_window(start, end)


def _checked_window(
    start: datetime.datetime, end: datetime.datetime
) -> tuple[datetime.datetime, datetime.datetime]:
    if end < start:
        raise Open311Error(400, _("end_date liegt vor start_date."))
    if end - start > MAX_WINDOW:
        raise Open311Error(400, _("Der Zeitraum darf höchstens 90 Tage umfassen."))
    return start, end


def coordinate(value: str, name: str) -> Decimal:
    try:
        number = Decimal(value)
        if number.is_finite():
            return number.quantize(_MICRODEGREE)
    except InvalidOperation:
        pass
    raise Open311Error(400, _("%(name)s ist keine gültige Koordinate.") % {"name": name})


# attribute[code]=value, and attribute[code][]=v1&attribute[code][]=v2 for lists
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


def attribute_params(data) -> dict[str, list[str]]:
    """The attribute answers of a POST by code, each as the list of its non-empty values."""
    answers: dict[str, list[str]] = {}
    for name in data:
        match = _ATTRIBUTE.match(name)
        if match is None:
            continue
        for value in data.getlist(name):
            if "\x00" in value:
                raise Open311Error(400, _("Der Parameter %(name)s ist ungültig.") % {"name": name})
            if value.strip():
                answers.setdefault(match.group(1), []).append(value.strip())
    return answers


def location(data) -> tuple[Decimal, Decimal, str]:
    latitude, longitude = param(data, "lat"), param(data, "long")
    address = param(data, "address_string") or ""
    if len(address) > ADDRESS_MAX:
        raise Open311Error(
            400, _("address_string ist zu lang (höchstens %(n)s Zeichen).") % {"n": ADDRESS_MAX}
        )
    if (latitude is None) != (longitude is None):
        raise Open311Error(400, _("lat und long müssen zusammen angegeben werden."))
    if latitude is not None:
        return coordinate(latitude, "lat"), coordinate(longitude, "long"), address
    if address:
        point = address_locate(address=address)
        if point is None:
            raise Open311Error(400, _("Adresse nicht gefunden."))
        return point[0], point[1], address
    raise Open311Error(
        400,
        _("Bitte geben Sie den Ort an: lat und long oder address_string (address_id wird nicht "
          "unterstützt)."),
    )  # fmt: skip

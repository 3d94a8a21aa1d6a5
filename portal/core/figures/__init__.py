"""The public figures at /zahlen/ ("Zahlen und Fakten"): one mechanism for every area.

Each app registers a provider in its `figures` module (found by `autodiscover`, like the
declarations of personal data). A provider reads the timeline and the source's records for a
period and returns a `Section`: headline figures and tables, each with a plain-language
explanation of how it is counted; a table may be drawn as a bar chart beside it. The nightly
job (`tasks.figures_compute`) stores all sections as one `FigureSnapshot`; the page shows the
newest snapshot, so a visit reads one row and computes nothing.

    @register(order=10)
    def ticket_figures(period: Period) -> Section: ...
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

_providers: list[tuple[int, Callable]] = []


@dataclass(frozen=True)
class Period:
    """The months the figures cover, first day of the first month up to `today` (inclusive)."""

    start: datetime.date
    today: datetime.date

    @property
    def start_at(self) -> datetime.datetime:
        """The period's first moment, in the city's time zone."""
        from django.utils import timezone

        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    def months(self) -> list[datetime.date]:
        """The first day of every month of the period, oldest first."""
        months, month = [], self.start
        while month <= self.today:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months


@dataclass
class Cell:
    value: float | int | None  # None: too few to say
    display: str


@dataclass
class Row:
    label: str
    cells: list[Cell]
    key: str = ""


@dataclass
class Column:
    key: str
    label: str


@dataclass
class Table:
    key: str
    caption: str
    explanation: str
    columns: list[Column]
    rows: list[Row]
    # the column drawn as bars beside the table ("" for none)
    chart: str = ""
    chart_title: str = ""


@dataclass
class Figure:
    key: str
    label: str
    value: float | int | None
    display: str
    explanation: str


@dataclass
class Section:
    key: str
    title: str
    intro: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Plain JSON: lazy translations become the texts of the active language."""
        import json

        from django.core.serializers.json import DjangoJSONEncoder

        return json.loads(json.dumps(asdict(self), cls=DjangoJSONEncoder))


def register(*, order: int):
    def decorator(provider: Callable[[Period], Section]):
        _providers.append((order, provider))
        _providers.sort(key=lambda item: item[0])
        return provider

    return decorator


def providers() -> list[Callable[[Period], Section]]:
    return [provider for _order, provider in _providers]


def autodiscover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("figures")


MONTH_NAMES = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip


def month_key(day: datetime.date) -> str:
    return day.strftime("%Y-%m")


def month_label(key: str) -> str:
    """ "2027-03" -> "März 2027"."""
    year, month = key.split("-")
    return f"{MONTH_NAMES[int(month) - 1]} {year}"


# --- German numbers -------------------------------------------------------------------------------
def number(value: float | int | None, digits: int = 1) -> str:
    """12.5 -> "12,5"; 1234 -> "1.234"; None -> "–" (too few to say)."""
    if value is None:
        return "–"
    if isinstance(value, int) or digits == 0:
        return f"{round(value):,}".replace(",", ".")
    text = f"{value:,.{digits}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def percent(value: float | None) -> str:
    return "–" if value is None else f"{number(value, 0)} %"


def share(part: int, whole: int) -> float | None:
    """The share in percent, rounded to one decimal; None without a whole."""
    return round(100 * part / whole, 1) if whole else None

"""The Anliegen's public figures (portal.core.figures, /zahlen/), from the timeline.

For every Anliegen received in the period: the working days (Monday to Friday without the Land's
public holidays, `sla.working_days_between`) from its receipt to the first answer of the city
and to its first closing; the days it waited for the citizen's answer to a question do not count.
Then per department, per category and per month of receipt: how many came in, the medians,
the share completed within the category's period (IST) beside the city's target (SOLL), the share
closed as not feasible, the share reopened as "nicht behoben", and the satisfaction.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.figures import (
    Cell,
    Column,
    Figure,
    Period,
    Row,
    Section,
    Table,
    month_key,
    month_label,
    number,
    percent,
    register,
    share,
)

from .constants import CLOSED_STATUSES, Channel, EventKind, TicketStatus
from .models import Ticket, TicketEvent, TicketFeedback
from .sla import working_days_between

# lines that are not the city's answer, though they move the status or speak to the citizen
NOT_AN_ANSWER = frozenset(
    {EventKind.CREATED, EventKind.ANSWER, EventKind.REOPENED, EventKind.NO_ANSWER}
)


@dataclass
class Facts:
    """What the timeline says of one Anliegen."""

    department: str
    category: str
    month: str
    channel: str
    sla_days: int
    closed_now: bool
    not_feasible: bool
    first_answer_days: int | None = None
    completion_days: int | None = None
    reopened: bool = False
    rating: int | None = None


def ticket_facts(ticket: dict, events: list[dict]) -> Facts:
    """`events` in the order of the timeline. Working days count from the day after receipt up to
    the day of the answer or closing; the working days a question waited are subtracted."""
    received = timezone.localdate(ticket["received_at"])
    facts = Facts(
        department=ticket["department__name"] or "",
        category=ticket["category__name"],
        month=month_key(received),
        channel=ticket["channel"],
        sla_days=ticket["category__sla_days"],
        closed_now=ticket["status"] in CLOSED_STATUSES,
        not_feasible=ticket["status"] == TicketStatus.NOT_FEASIBLE,
    )
    waiting_since = None
    paused = 0
    first_close = None
    for event in events:
        day = timezone.localdate(event["created_at"])
        speaks = event["to_status"] or event["public_message"] or event["public_status"]
        if facts.first_answer_days is None and speaks and event["kind"] not in NOT_AN_ANSWER:
            facts.first_answer_days = working_days_between(received, day)
        to = event["to_status"]
        if to == TicketStatus.WAITING and waiting_since is None:
            waiting_since = day
        elif to and to != TicketStatus.WAITING and waiting_since is not None:
            if first_close is None:
                paused += working_days_between(waiting_since, day)
            waiting_since = None
        if to in CLOSED_STATUSES and first_close is None:
            first_close = day
            facts.completion_days = max(0, working_days_between(received, day) - paused)
        if event["kind"] == EventKind.REOPENED:
            facts.reopened = True
    return facts


def _median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


def _days(value: float | None) -> str:
    if value is None:
        return "–"
    return number(int(value)) if float(value).is_integer() else number(value, 1)


@dataclass
class Group:
    received: int = 0
    first_answers: list[int] = field(default_factory=list)
    completions: list[int] = field(default_factory=list)
    in_sla: int = 0
    closed_now: int = 0
    not_feasible: int = 0
    closed_once: int = 0
    reopened: int = 0
    ratings: list[int] = field(default_factory=list)

    def add(self, facts: Facts) -> None:
        self.received += 1
        if facts.first_answer_days is not None:
            self.first_answers.append(facts.first_answer_days)
        if facts.completion_days is not None:
            self.completions.append(facts.completion_days)
            self.closed_once += 1
            self.in_sla += facts.completion_days <= facts.sla_days
            self.reopened += facts.reopened
        if facts.closed_now:
            self.closed_now += 1
            self.not_feasible += facts.not_feasible
        if facts.rating is not None:
            self.ratings.append(facts.rating)

    def cells(self) -> list[Cell]:
        first = _median(self.first_answers)
        done = _median(self.completions)
        in_sla = share(self.in_sla, self.closed_once)
        not_feasible = share(self.not_feasible, self.closed_now)
        reopened = share(self.reopened, self.closed_once)
        enough = len(self.ratings) >= settings.FIGURES_MIN_RATINGS
        rating = round(statistics.mean(self.ratings), 1) if enough else None
        target = settings.FIGURES_SLA_TARGET_PERCENT
        return [
            Cell(self.received, number(self.received)),
            Cell(first, _days(first)),
            Cell(done, _days(done)),
            Cell(target, percent(target)),
            Cell(in_sla, percent(in_sla)),
            Cell(not_feasible, percent(not_feasible)),
            Cell(reopened, percent(reopened)),
            Cell(rating, number(rating, 1) if rating is not None else "–"),
            Cell(len(self.ratings), number(len(self.ratings))),
        ]


def _columns() -> list[Column]:
    return [
        Column("received", _("eingegangen")),
        Column("first_answer", _("erste Antwort nach … Arbeitstagen (Median)")),
        Column("completion", _("erledigt nach … Arbeitstagen (Median)")),
        Column("sla_target", _("in der Frist: Ziel (SOLL)")),
        Column("sla_actual", _("in der Frist: erreicht (IST)")),
        Column("not_feasible", _("nicht umsetzbar")),
        Column("reopened", _("wieder geöffnet")),
        Column("satisfaction", _("Zufriedenheit (1–5)")),
        Column("ratings", _("Bewertungen")),
    ]


def collect(period: Period) -> list[Facts]:
    """The facts of every Anliegen received in the period: three queries, whatever their number
    (tickets, their timelines in order, ratings)."""
    start = period.start_at
    tickets = Ticket.objects.filter(received_at__gte=start).order_by("pk")
    rows = {
        row["pk"]: row
        for row in tickets.values(
            "pk",
            "received_at",
            "status",
            "channel",
            "department__name",
            "category__name",
            "category__sla_days",
        )
    }
    timelines: dict[int, list[dict]] = defaultdict(list)
    events = (
        TicketEvent.objects.filter(ticket__received_at__gte=start)
        .filter(
            ~Q(to_status="")
            | ~Q(public_message="")
            | ~Q(public_status="")
            | Q(kind=EventKind.REOPENED)
        )
        .order_by("ticket_id", "created_at", "pk")
        .values("ticket_id", "kind", "to_status", "public_message", "public_status", "created_at")
    )
    for event in events.iterator(chunk_size=5000):
        timelines[event["ticket_id"]].append(event)
    ratings = dict(
        TicketFeedback.objects.filter(ticket__received_at__gte=start).values_list(
            "ticket_id", "rating"
        )
    )
    result = []
    for pk, row in rows.items():
        facts = ticket_facts(row, timelines.get(pk, []))
        facts.rating = ratings.get(pk)
        result.append(facts)
    return result


@register(order=10)
def ticket_figures(period: Period) -> Section:
    all_facts = collect(period)
    total = Group()
    by_department: dict[str, Group] = defaultdict(Group)
    by_category: dict[str, Group] = defaultdict(Group)
    by_month: dict[str, Group] = {month_key(m): Group() for m in period.months()}
    channels = Counter()
    for facts in all_facts:
        total.add(facts)
        if facts.department:
            by_department[facts.department].add(facts)
        by_category[facts.category].add(facts)
        if facts.month in by_month:
            by_month[facts.month].add(facts)
        channels[facts.channel] += 1
    cells = total.cells()
    explanations = _explanations()
    figures = [
        Figure(column.key, column.label, cell.value, cell.display, explanations[column.key])
        for column, cell in zip(_columns(), cells, strict=True)
        if column.key != "ratings"
    ]
    columns = _columns()
    department_rows = [
        Row(name, group.cells(), key=name) for name, group in sorted(by_department.items())
    ]
    category_rows = [
        Row(name, group.cells(), key=name) for name, group in sorted(by_category.items())
    ]
    month_rows = [
        Row(month_label(month), group.cells(), key=month) for month, group in by_month.items()
    ]
    channel_rows = [
        Row(Channel(value).label, [Cell(channels[value], number(channels[value]))], key=value)
        for value in Channel.values
    ]
    return Section(
        key="anliegen",
        title=_("Anliegen und Mängelmeldungen"),
        intro=_(
            "Alle Anliegen, die seit dem %(start)s eingegangen sind: online, über Apps, am "
            "Telefon, per Brief, per E-Mail oder am Schalter. Gezählt wird nach dem Tag des "
            "Eingangs; Arbeitstage sind Montag bis Freitag ohne die gesetzlichen Feiertage in "
            "Nordrhein-Westfalen. Solange eine Rückfrage an die Bürgerin oder den Bürger auf "
            "Antwort wartet, zählen die Tage nicht mit."
        )
        % {"start": f"{period.start:%d.%m.%Y}"},
        figures=figures,
        tables=[
            Table(
                "fachbereiche",
                _("Nach Fachbereich"),
                _("Jede Zeile zählt die Anliegen, die heute bei diesem Fachbereich liegen."),
                columns,
                department_rows,
                chart="completion",
                chart_title=_("Erledigt nach … Arbeitstagen (Median), je Fachbereich"),
            ),
            Table(
                "kategorien",
                _("Nach Kategorie"),
                _("Die Frist jeder Kategorie steht bei der Kategorie im Meldeformular."),
                columns,
                category_rows,
                chart="received",
                chart_title=_("Eingegangene Anliegen je Kategorie"),
            ),
            Table(
                "monate",
                _("Nach Monat des Eingangs"),
                _(
                    "Anliegen der letzten Wochen sind oft noch offen: ihre Mediane und Anteile "
                    "zählen nur, was schon beantwortet oder erledigt ist."
                ),
                columns,
                month_rows,
                chart="received",
                chart_title=_("Eingegangene Anliegen je Monat"),
            ),
            Table(
                "eingangswege",
                _("Nach Eingangsweg"),
                _("Wie die Anliegen die Stadt erreicht haben."),
                [Column("received", _("eingegangen"))],
                channel_rows,
                chart="received",
                chart_title=_("Eingegangene Anliegen je Eingangsweg"),
            ),
        ],
    )


def _explanations() -> dict[str, str]:
    return {
        "received": _("Alle Anliegen, die im Zeitraum eingegangen sind, gleich auf welchem Weg."),
        "first_answer": _(
            "Arbeitstage vom Eingang bis zur ersten Antwort des Fachbereichs (Statusänderung, "
            "Nachricht oder Rückfrage). Median: die Hälfte der Anliegen war schneller, die "
            "andere Hälfte langsamer."
        ),
        "completion": _(
            "Arbeitstage vom Eingang bis zum ersten Abschluss, ohne die Tage, an denen eine "
            "Rückfrage auf Antwort wartete. Median wie oben."
        ),
        "sla_target": _(
            "Der Anteil der Anliegen, den die Stadt innerhalb der Frist ihrer Kategorie "
            "erledigen will."
        ),
        "sla_actual": _(
            "Der Anteil der abgeschlossenen Anliegen, die innerhalb der Frist ihrer Kategorie "
            "erledigt wurden (Arbeitstage wie oben)."
        ),
        "not_feasible": _(
            "Der Anteil der heute abgeschlossenen Anliegen, die als „nicht umsetzbar“ "
            "abgeschlossen sind, mit Begründung."
        ),
        "reopened": _(
            "Der Anteil der abgeschlossenen Anliegen, die die Bürgerin oder der Bürger danach "
            "als „nicht behoben“ wieder geöffnet hat."
        ),
        "satisfaction": _(
            "Der Mittelwert der freiwilligen Bewertungen nach dem Abschluss (5 = sehr "
            "zufrieden). Erst ab %(n)s Bewertungen gezeigt; ohne Namen."
        )
        % {"n": settings.FIGURES_MIN_RATINGS},
    }

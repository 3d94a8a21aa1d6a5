"""How many take part (portal.core.figures): ideas and comments on Vorhaben and in the
Ideenpool, online and offline (entered by staff from the MitMachBüro, events, letters, calls)."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from participation.projects.constants import OFFLINE_CHANNELS
from portal.core.figures import Cell, Column, Figure, Period, Row, Section, Table, number, register

from .models import Comment, Idea


def channel_counts(queryset, start) -> tuple[int, int]:
    """(online, offline) of the rows created since `start`: one grouped query."""
    online = offline = 0
    rows = (
        queryset.filter(created_at__gte=start).order_by().values("channel").annotate(n=Count("pk"))
    )
    for row in rows:
        if row["channel"] in OFFLINE_CHANNELS:
            offline += row["n"]
        else:
            online += row["n"]
    return online, offline


def participation_rows(start) -> list[tuple[str, str, int, int]]:
    return [
        ("beitraege", _("Ideen und Vorschläge"), *channel_counts(Idea.objects.all(), start)),
        ("kommentare", _("Kommentare"), *channel_counts(Comment.objects.all(), start)),
    ]


@register(order=30)
def participation_figures(period: Period) -> Section:
    start = period.start_at
    rows = participation_rows(start) + [row(start) for row in EXTRA_ROWS]
    online = sum(row[2] for row in rows)
    offline = sum(row[3] for row in rows)
    return Section(
        key="beteiligung",
        title=_("Beteiligung"),
        intro=_(
            "Wie viele Beiträge seit dem %(start)s eingegangen sind: online auf diesem Portal "
            "oder offline – im MitMachBüro, bei Veranstaltungen, per Brief oder am Telefon; "
            "diese erfassen Mitarbeiterinnen und Mitarbeiter der Stadt. Gezählt wird jeder "
            "eingegangene Beitrag, auch wenn er später ausgeblendet wurde."
        )
        % {"start": f"{period.start:%d.%m.%Y}"},
        figures=[
            Figure(
                "online",
                _("online"),
                online,
                number(online),
                _("Beiträge, die Menschen selbst auf diesem Portal geschrieben haben."),
            ),
            Figure(
                "offline",
                _("offline"),
                offline,
                number(offline),
                _("Beiträge, die auf anderem Weg kamen und von der Stadt erfasst wurden."),
            ),
        ],  # fmt: skip
        tables=[
            Table(
                "wege",
                _("Nach Art und Weg"),
                _("Online und offline eingegangene Beiträge je Art."),
                [Column("online", _("online")), Column("offline", _("offline"))],
                [
                    Row(label, [Cell(on, number(on)), Cell(off, number(off))], key)
                    for key, label, on, off in rows
                ],
                chart="online",
                chart_title=_("Online eingegangene Beiträge je Art"),
            )
        ],
    )


# rows of other participation modules (polls: answers), each `row(start)` →
# (key, label, online, offline); registered by the module itself
EXTRA_ROWS: list = []

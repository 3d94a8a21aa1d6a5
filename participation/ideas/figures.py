"""The Ideenpool's public figures (portal.core.figures): ideas submitted in the period, and how
many of them passed the pre-check and reached implementation, read from their timelines."""

from __future__ import annotations

from django.db.models import F
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
from portal.tickets.models import TicketEvent

from .constants import Stage
from .models import PoolIdea

# the stage of the timeline (TicketEvent.public_status) that counts an idea as …
ADMISSIBLE = Stage.ADMISSIBLE
IMPLEMENTED = Stage.IMPLEMENTATION


@register(order=20)
def idea_figures(period: Period) -> Section:
    ideas = list(
        PoolIdea.objects.filter(submitted_at__gte=period.start_at)
        .annotate(ticket_ref=F("input__ticket_id"))
        .values_list("ticket_ref", "submitted_at")
    )
    reached: dict[str, set[int]] = {ADMISSIBLE: set(), IMPLEMENTED: set()}
    tickets = [ticket for ticket, _submitted in ideas if ticket is not None]
    steps = TicketEvent.objects.filter(
        ticket_id__in=tickets, public_status__in=list(reached)
    ).values_list("ticket_id", "public_status")
    for ticket, stage in steps.iterator(chunk_size=5000):
        reached[stage].add(ticket)
    months = {month_key(month): [0, 0, 0] for month in period.months()}
    total = [0, 0, 0]
    for ticket, submitted in ideas:
        counts = (1, ticket in reached[ADMISSIBLE], ticket in reached[IMPLEMENTED])
        month = month_key(timezone.localdate(submitted))
        for index, value in enumerate(counts):
            total[index] += value
            if month in months:
                months[month][index] += value
    submitted, admissible, implemented = total
    rows = []
    for month, (sub, adm, imp) in months.items():
        label = month_label(month)
        rows.append(
            Row(
                label,
                [Cell(sub, number(sub)), Cell(adm, number(adm)), Cell(imp, number(imp))],
                month,
            )
        )
    implemented_share = share(implemented, admissible)
    return Section(
        key="ideen",
        title=_("Ideenpool"),
        intro=_(
            "Ideen, die seit dem %(start)s in den Ideenpool eingereicht wurden, und wie weit sie "
            "heute gekommen sind. Eine Idee zählt als zulässig, wenn sie die Vorprüfung bestanden "
            "hat, und als umgesetzt, sobald ihre Umsetzung begonnen hat – so steht es im Verlauf "
            "jeder Idee."
        )
        % {"start": f"{period.start:%d.%m.%Y}"},
        figures=[
            Figure(
                "submitted",
                _("eingereicht"),
                submitted,
                number(submitted),
                _("Alle Ideen, die im Zeitraum eingereicht wurden, online oder im MitMachBüro."),
            ),
            Figure(
                "admissible",
                _("zulässig"),
                admissible,
                number(admissible),
                _("Davon die Ideen, die die Vorprüfung bestanden haben."),
            ),
            Figure(
                "implemented",
                _("umgesetzt"),
                implemented,
                number(implemented),
                _("Davon die Ideen, deren Umsetzung begonnen hat."),
            ),
            Figure(
                "implemented_share",
                _("Anteil umgesetzt"),
                implemented_share,
                percent(implemented_share),
                _("Umgesetzte Ideen im Verhältnis zu den zulässigen."),
            ),
        ],  # fmt: skip
        tables=[
            Table(
                "monate",
                _("Nach Monat der Einreichung"),
                _("Ideen der letzten Monate sind oft noch in Prüfung."),
                [
                    Column("submitted", _("eingereicht")),
                    Column("admissible", _("zulässig")),
                    Column("implemented", _("umgesetzt")),
                ],
                rows,
                chart="submitted",
                chart_title=_("Eingereichte Ideen je Monat"),
            )
        ],
    )

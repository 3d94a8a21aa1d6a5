"""Figures of the Ideenpool for the back office and the council office: the KPI counters
(Smart-City-Strategie: eingebrachte und umgesetzte Vorschläge), ideas per stage, the median time
to the first answer, and the council list (ideas that reached the quorum) with its CSV export.

Reads only, no request: the admin views call these and render.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, QuerySet
from django.utils.translation import gettext as _

from portal.core.links import absolute_url
from portal.core.spreadsheets import csv_bytes

from .constants import STAGE_ORDER, Stage
from .models import PoolIdea, PoolStatistics

SECONDS_PER_DAY = Decimal(86400)


@dataclass(frozen=True)
class Counter:
    label: str
    value: int


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    count: int


def pool_counters() -> list[Counter]:
    """The counters kept in the transaction of each change (services._count)."""
    stats = PoolStatistics.objects.filter(pk=1).first() or PoolStatistics()
    return [
        Counter(_("eingereicht"), stats.submitted),
        Counter(_("zulässig"), stats.admissible),
        Counter(_("umgesetzt"), stats.implemented),
        Counter(_("verstetigt"), stats.established),
        Counter(_("abgelehnt (unzulässig oder nicht aufgenommen)"), stats.rejected),
        Counter(_("Quorum erreicht"), stats.quorum_reached),
    ]


def ideas_per_stage() -> list[StageCount]:
    """How many ideas are in each stage now, in the lifecycle's order (one grouped query)."""
    counts = {
        row["stage"]: row["count"]
        for row in PoolIdea.objects.order_by().values("stage").annotate(count=Count("pk"))
    }
    return [StageCount(stage, Stage(stage).label, counts.get(stage, 0)) for stage in STAGE_ORDER]


def median_first_answer() -> timedelta | None:
    """The median of `first_answer_at - submitted_at` over the ideas that have an answer; None
    while none has. The database orders the durations (SQLite and PostgreSQL alike); only the
    one or two middle values are read."""
    waits = (
        PoolIdea.objects.filter(first_answer_at__isnull=False)
        .annotate(wait=ExpressionWrapper(F("first_answer_at") - F("submitted_at"), DurationField()))
        .order_by("wait", "pk")
    )
    count = waits.count()
    if not count:
        return None
    middle = (count - 1) // 2
    values = list(waits.values_list("wait", flat=True)[middle : middle + 2 - count % 2])
    return sum(values, timedelta()) / len(values)


def as_days(duration: timedelta | None) -> Decimal | None:
    """A duration in days with one decimal (half up), for the KPI page."""
    if duration is None:
        return None
    days = Decimal(str(duration.total_seconds())) / SECONDS_PER_DAY
    return days.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def median_first_answer_days() -> Decimal | None:
    return as_days(median_first_answer())


# --- the council list ---------------------------------------------------------------------------
def council_list() -> QuerySet[PoolIdea]:
    """Ideas that reached the quorum, the earliest first: the list for the council office."""
    return (
        PoolIdea.objects.filter(quorum_reached_at__isnull=False)
        .select_related("field_of_action", "input__district", "input__ticket__department")
        .order_by("quorum_reached_at", "pk")
    )


def council_csv(ideas) -> bytes:
    """The council list as CSV (UTF-8 with BOM, semicolons, like the Vorhabenliste's export).
    No personal data: who wrote an idea is not the council's business here."""
    columns = [
        (_("Titel"), lambda idea: idea.title),
        (_("Handlungsfeld"), lambda idea: str(idea.field_of_action)),
        (_("Stadtteil"), lambda idea: idea.district.name if idea.district else ""),
        (_("Stufe"), lambda idea: idea.get_stage_display()),
        (_("Unterstützungen"), lambda idea: idea.support_count),
        (_("Quorum erreicht am"), lambda idea: idea.quorum_reached_at),
        (_("eingereicht am"), lambda idea: idea.submitted_at),
        (_("Unterstützung möglich bis"), lambda idea: idea.support_ends_at),
        (
            _("Zuständiger Fachbereich"),
            lambda idea: (
                idea.ticket.department.name if idea.ticket and idea.ticket.department else ""
            ),
        ),
        (_("Anliegen"), lambda idea: idea.ticket.number if idea.ticket else ""),
        (_("Adresse im Portal"), lambda idea: absolute_url(idea.get_absolute_url())),
    ]
    return csv_bytes(
        [title for title, _value in columns],
        ([value(idea) for _title, value in columns] for idea in ideas),
    )

"""Writes of the precomputed map clusters (ReportMapCell): the counts and mean positions of the
published reports per grid level, cell and combination of the map's filters, read by
`map.report_map_features` so that a view of the whole city reads at most MAX_FEATURES rows.

A report's change reaches them through `report_map_sync` (on commit: signals.py), which takes
the report out of the cells it was counted in (ReportMapEntry) and counts it where it is now:
a constant number of statements, whatever the number of reports. `report_map_rebuild` counts
everything anew (after an import, which bypasses the writers, and nightly as a safety net)."""

import itertools
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, Q

from portal.core.pagecache import public_content_changed
from portal.tickets.constants import OPEN_STATUSES

from .map import PRECOMPUTED_MAX_LEVEL, cell_of, cell_size
from .models import Report, ReportMapCell, ReportMapEntry

LEVELS = range(PRECOMPUTED_MAX_LEVEL + 1)
# any PostgreSQL advisory lock key of our own: syncs and rebuilds take turns, so that two
# writers never update the same cells in a different order, and a rebuild misses no sync
_LOCK_KEY = 0x4D41504B  # "MAPK"


def _take_turns() -> None:
    # SQLite lets one writer at a time anyway
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def _status_group(status: str) -> str:
    return "offen" if status in OPEN_STATUSES else "erledigt"


def _e6(value) -> int:
    return int((Decimal(value) * 1_000_000).to_integral_value())


def _current(report_id: int) -> ReportMapEntry | None:
    """The report as the map should count it now, or None if the map does not show it."""
    row = (
        Report.objects.filter(pk=report_id, is_published=True, ticket__isnull=False)
        .values("latitude", "longitude", "category_id", "ticket__status", "ticket__district_id")
        .first()
    )
    if row is None:
        return None
    return ReportMapEntry(
        report_id=report_id,
        latitude_e6=_e6(row["latitude"]),
        longitude_e6=_e6(row["longitude"]),
        category_id=row["category_id"],
        status=_status_group(row["ticket__status"]),
        district_id=row["ticket__district_id"],
    )


def _same(a: ReportMapEntry | None, b: ReportMapEntry | None) -> bool:
    fields = ("latitude_e6", "longitude_e6", "category_id", "status", "district_id")
    if a is None or b is None:
        return a is b
    return all(getattr(a, name) == getattr(b, name) for name in fields)


def _count(entry: ReportMapEntry, sign: int) -> None:
    """Add (sign 1) or take out (sign −1) one report in its cell of every level, for each
    combination of filters it matches: category any/its own × status any/its own × district
    any/its own. Two statements; cells emptied stay with a count of 0 until the next rebuild
    (deleting them could race with a concurrent insert)."""
    categories = [0, entry.category_id]
    statuses = ["", entry.status]
    districts = [0] if entry.district_id is None else [0, entry.district_id]
    cells = [
        (level, *cell_of(entry.latitude_e6 / 1_000_000, entry.longitude_e6 / 1_000_000, level))
        for level in LEVELS
    ]
    if sign > 0:
        ReportMapCell.objects.bulk_create(
            [
                ReportMapCell(
                    level=level,
                    cell_y=cell_y,
                    cell_x=cell_x,
                    category_id=category_id,
                    status=status,
                    district_id=district_id,
                    count=0,
                    sum_latitude_e6=0,
                    sum_longitude_e6=0,
                    sum_report_id=0,
                )
                for (level, cell_y, cell_x), category_id, status, district_id in itertools.product(
                    cells, categories, statuses, districts
                )
            ],
            ignore_conflicts=True,
        )
    in_cells = Q()
    for level, cell_y, cell_x in cells:
        in_cells |= Q(level=level, cell_y=cell_y, cell_x=cell_x)
    ReportMapCell.objects.filter(
        in_cells,
        category_id__in=categories,
        status__in=statuses,
        district_id__in=districts,
    ).update(
        count=F("count") + sign,
        sum_latitude_e6=F("sum_latitude_e6") + sign * entry.latitude_e6,
        sum_longitude_e6=F("sum_longitude_e6") + sign * entry.longitude_e6,
        sum_report_id=F("sum_report_id") + sign * entry.report_id,
    )


def report_map_sync(*, report_id: int) -> bool:
    """Bring the map's clusters up to date for one report (published, hidden, moved, closed,
    recategorised, deleted …). Idempotent; returns whether anything changed."""
    with transaction.atomic():
        _take_turns()
        counted = ReportMapEntry.objects.filter(report_id=report_id).first()
        current = _current(report_id)
        if _same(counted, current):
            return False
        if counted is not None:
            _count(counted, -1)
            counted.delete()
        if current is not None:
            _count(current, 1)
            current.save(force_insert=True)
    return True


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


@transaction.atomic
def report_map_rebuild() -> int:
    """Count all clusters anew in the database, in one transaction (the map keeps showing the
    old counts until it commits). Returns the number of reports counted."""
    _take_turns()
    ReportMapCell.objects.all().delete()
    ReportMapEntry.objects.all().delete()
    entries, cells = _table(ReportMapEntry), _table(ReportMapCell)
    report = Report._meta
    ticket = report.get_field("ticket").related_model._meta
    q = connection.ops.quote_name
    open_statuses = sorted(OPEN_STATUSES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {entries} (report_id, latitude_e6, longitude_e6, category_id, status,"
            " district_id)"
            f" SELECT r.{q(report.pk.column)},"
            f" CAST(ROUND(r.{_column(Report, 'latitude')} * 1000000) AS BIGINT),"
            f" CAST(ROUND(r.{_column(Report, 'longitude')} * 1000000) AS BIGINT),"
            f" r.{_column(Report, 'category')},"
            f" CASE WHEN t.{q(ticket.get_field('status').column)}"
            f" IN ({', '.join(['%s'] * len(open_statuses))}) THEN 'offen' ELSE 'erledigt' END,"
            f" t.{q(ticket.get_field('district').column)}"
            f" FROM {q(report.db_table)} r"
            f" JOIN {q(ticket.db_table)} t"
            f" ON t.{q(ticket.pk.column)} = r.{_column(Report, 'ticket')}"
            f" WHERE r.{_column(Report, 'is_published')} = %s",
            [*open_statuses, True],
        )
        counted = cursor.rowcount
        # the finest level from the entries, once per combination of "any" and own values …
        cell_lat, cell_lon = cell_size(PRECOMPUTED_MAX_LEVEL)
        for any_category, any_status, any_district in itertools.product((True, False), repeat=3):
            category = "0" if any_category else "category_id"
            status = "''" if any_status else "status"
            district = "0" if any_district else "district_id"
            cursor.execute(
                f"INSERT INTO {cells} (level, cell_y, cell_x, category_id, status, district_id,"
                " count, sum_latitude_e6, sum_longitude_e6, sum_report_id)"
                " SELECT %s,"
                " FLOOR(CAST(latitude_e6 AS DOUBLE PRECISION) / 1000000.0 / %s),"
                " FLOOR(CAST(longitude_e6 AS DOUBLE PRECISION) / 1000000.0 / %s),"
                f" {category}, {status}, {district},"
                " COUNT(*), SUM(latitude_e6), SUM(longitude_e6), SUM(report_id)"
                f" FROM {entries}"
                f"{'' if any_district else ' WHERE district_id IS NOT NULL'}"
                " GROUP BY 2, 3, 4, 5, 6",
                [PRECOMPUTED_MAX_LEVEL, cell_lat, cell_lon],
            )
        # … and each coarser level from the one below: its cells are four of those
        for level in reversed(LEVELS[:-1]):
            cursor.execute(
                f"INSERT INTO {cells} (level, cell_y, cell_x, category_id, status, district_id,"
                " count, sum_latitude_e6, sum_longitude_e6, sum_report_id)"
                " SELECT %s, FLOOR(cell_y / 2.0), FLOOR(cell_x / 2.0), category_id, status,"
                " district_id, SUM(count), SUM(sum_latitude_e6), SUM(sum_longitude_e6),"
                f" SUM(sum_report_id) FROM {cells} WHERE level = %s"
                " GROUP BY 2, 3, 4, 5, 6",
                [level, level + 1],
            )
    # written past the ORM's signals: the stored public pages (the map) are stale
    public_content_changed()
    return counted

"""Benchmark: the map's whole-city clusters with N published reports on PostgreSQL, from the
precomputed cells and, for comparison, counted live from the reports (the way before).

Seeds reports with their tickets into the database of DATABASE_URL (in SQL, with
generate_series, in ten districts and ten categories), counts the clusters anew
(`rebuild_map_clusters`), then prints the median time of the whole-city request through the
test client and of the live count, and the plan of the single-report query. Never fails on time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5453/portal \
        .venv/bin/python -m bench.map_clusters 10000 1000000
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from portal.departments.models import District  # noqa: E402
from portal.tickets.models import Category  # noqa: E402
from services.reports import map as report_map  # noqa: E402
from services.reports.models import Report  # noqa: E402

WEST, SOUTH, SIZE = 7.48, 51.39, 0.2
CITY = f"{WEST},{SOUTH},{WEST + SIZE},{SOUTH + SIZE}"
RUNS = 15


def strip(n: int) -> dict:
    west, east = WEST + n * SIZE / 10, WEST + (n + 1) * SIZE / 10
    ring = [[west, SOUTH], [east, SOUTH], [east, SOUTH + SIZE], [west, SOUTH + SIZE]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def seed(total: int) -> None:
    districts = [
        District.objects.get_or_create(name=f"Bench {n}", defaults={"area": strip(n)})[0]
        for n in range(10)
    ]
    categories = [
        Category.objects.get_or_create(slug=f"bench-{n}", defaults={"name": f"Bench {n}"})[0]
        for n in range(10)
    ]
    have = Report.objects.count()
    if have >= total:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tickets_ticket (number, access_token, source_kind, summary, address,"
            " channel, contact_email, status, status_reason, routing_state, routing_attempts,"
            " received_at, updated_at, category_id, district_id, latitude, longitude)"
            " SELECT 'B' || g, md5('bench' || g), 'maengel', 'Meldung', '', 'online', '',"
            " CASE WHEN g %% 3 = 0 THEN 'erledigt' ELSE 'eingegangen' END, '', 'routed', 0,"
            " now(), now(), (%s::bigint[])[1 + g %% 10], (%s::bigint[])[1 + floor(x * 10)::int],"
            " round((%s + random() * %s)::numeric, 6), round((%s + x * %s)::numeric, 6)"
            " FROM (SELECT g, least(random(), 0.999999) AS x FROM generate_series(%s, %s) g) s",
            [
                [c.pk for c in categories],
                [d.pk for d in districts],
                SOUTH,
                SIZE,
                WEST,
                SIZE,
                have + 1,
                total,
            ],
        )
        cursor.execute(
            "INSERT INTO reports_report (category_id, description, public_description, latitude,"
            " longitude, address, attributes, reporter_name, reporter_email, channel, ticket_id,"
            " is_published, published_at, support_count, created_at)"
            " SELECT category_id, 'Meldung', '', latitude, longitude, '', '{}', '', '', 'online',"
            " id, true, now(), 0, now() - random() * interval '1000 days'"
            " FROM tickets_ticket t WHERE number LIKE 'B%%'"
            " AND NOT EXISTS (SELECT 1 FROM reports_report r WHERE r.ticket_id = t.id)"
        )
        cursor.execute("ANALYZE")


def median_ms(work) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(total: int) -> None:
    seed(total)
    start = time.perf_counter()
    call_command("rebuild_map_clusters")
    rebuild_s = time.perf_counter() - start
    client = Client()
    for params in ({}, {"category": "bench-3", "status": "offen"}):
        for zoom in (11, 13):
            query = {"bbox": CITY, "zoom": zoom, **params}
            response = client.get("/maengel/karte.json", query)
            assert response.status_code == 200, response.content
            parsed = report_map.map_query_parse({k: str(v) for k, v in query.items()})
            # the view's work without the page cache in front of it
            after = median_ms(lambda p=parsed: report_map.report_map_features(p))
            box = parsed.bbox.clamp(report_map.city_bbox())
            level = report_map.grid_level(zoom, box)
            before = median_ms(lambda p=parsed, b=box, lv=level: report_map._cells_live(p, b, lv))
            print(
                f"{total:>9} reports  zoom {zoom} {str(params or 'no filter'):<40}"
                f" features from cells {after:7.1f} ms   live count alone {before:8.1f} ms"
                f"   features {len(response.json()['features'])}"
            )
    print(f"{total:>9} reports  rebuild_map_clusters {rebuild_s:.1f} s")
    singles = report_map._with_properties(
        report_map._reports_in(
            report_map.MapQuery(report_map.BBox(7.560, 51.440, 7.570, 51.450), 16),
            report_map.BBox(7.560, 51.440, 7.570, 51.450),
        )
    ).order_by("pk")[:501]
    ms = median_ms(lambda: list(singles.all()))
    print(f"{total:>9} reports  single reports at zoom 16: {ms:.1f} ms; plan:")
    print(singles.explain(analyze=True))


if __name__ == "__main__":
    setup_test_environment()
    for size in sys.argv[1:] or ["10000"]:
        measure(int(size))

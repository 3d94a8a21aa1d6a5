"""Benchmark: the Mängelmelder's read paths with 100,000 reports, each beside a bare view.

Seeds N published reports with their tickets (bulk inserts, random places in Schwerte), then
measures the public list, a report page, the REST GeoJSON list and the map's cluster endpoint
for the whole city and for one street, and Open311 `GET requests.json`, through the full
middleware stack in one process.
Prints requests/s, p50/p95 and the ratio to a bare Django view; never fails on time.

    make bench            # or: .venv/bin/python bench/reports.py [reports] [requests]
"""

import io
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

workdir = tempfile.mkdtemp(prefix="portal-bench-reports-")
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
os.environ["DEBUG"] = "false"
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"

import django

django.setup()

from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import override_settings
from django.urls import NoReverseMatch, include, path, resolve
from django.utils import timezone

from portal.departments.models import Department, District
from portal.tickets.constants import RoutingState, TicketStatus
from portal.tickets.models import Category, Ticket
from services.reports.models import Report


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("", include("portal.urls"))]

STATUSES = [TicketStatus.RECEIVED, TicketStatus.IN_PROGRESS, TicketStatus.DONE]


def seed(n: int) -> None:
    categories = list(Category.objects.exclude(slug__in=["barrierefreiheit", "allgemein"]))
    departments = list(Department.objects.all())
    districts = list(District.objects.all())
    rng = random.Random(4711)
    now = timezone.now()
    year = now.year
    batch = 5000
    for start in range(0, n, batch):
        tickets, reports = [], []
        for i in range(start, min(start + batch, n)):
            lat = Decimal(f"{rng.uniform(51.405, 51.475):.6f}")
            lon = Decimal(f"{rng.uniform(7.495, 7.655):.6f}")
            category = rng.choice(categories)
            received = now - timedelta(minutes=rng.randint(0, 60 * 24 * 120))
            tickets.append(
                Ticket(
                    number=f"{year}-{900000 + i:06d}",
                    access_token=f"bench-{i}",
                    source_kind="maengel",
                    category=category,
                    summary=f"Meldung {i}",
                    latitude=lat,
                    longitude=lon,
                    district=rng.choice(districts),
                    department=rng.choice(departments),
                    status=rng.choice(STATUSES),
                    routing_state=RoutingState.ROUTED,
                    received_at=received,
                    due_date=(received + timedelta(days=14)).date(),
                )  # fmt: skip
            )
            reports.append(
                Report(
                    category=category,
                    description=f"Meldung {i}: Schaden am Gehweg",
                    latitude=lat,
                    longitude=lon,
                    address="Hagener Straße",
                    is_published=True,
                    published_at=received,
                    created_at=received,
                )  # fmt: skip
            )
        created = Ticket.objects.bulk_create(tickets)
        for report, ticket in zip(reports, created, strict=True):
            report.ticket = ticket
        Report.objects.bulk_create(reports)


def measure(client: Client, url: str, n: int) -> dict:
    client.get(url)
    queries = []
    with connection.execute_wrapper(lambda ex, sql, *a: queries.append(sql) or ex(sql, *a)):
        response = client.get(url)
    timings = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - t0)
        if response.status_code != 200:  # a figure of error pages is no figure
            raise SystemExit(f"{url} answered {response.status_code}")
    timings.sort()
    return {
        "status": response.status_code,
        "req/s": n / sum(timings),
        "p50": statistics.median(timings) * 1000,
        "p95": timings[int(n * 0.95) - 1] * 1000,
        "queries": len(queries),
    }


def exists(url: str) -> bool:
    try:
        resolve(url.split("?")[0])
        return True
    except (NoReverseMatch, Exception):
        return False


def main() -> None:
    n_reports = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    n_requests = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    t0 = time.perf_counter()
    seed(n_reports)
    print(f"\nSeeded {n_reports:,} reports in {time.perf_counter() - t0:.0f} s (SQLite)")
    one = Report.objects.select_related("ticket").order_by("-created_at").first()
    targets = {
        "bare Django view": "/bench/bare/",
        "report list": "/maengel/",
        "report page": f"/maengel/{one.ticket.number}/",
        "GeoJSON, whole city": "/api/v1/reports/?bbox=7.49,51.40,7.66,51.48&limit=500",
        "GeoJSON, one street": "/api/v1/reports/?bbox=7.560,51.440,7.563,51.442&limit=500",
        "map clusters, city": "/maengel/karte.json?bbox=7.49,51.40,7.66,51.48&zoom=13",
        "map markers, street": "/maengel/karte.json?bbox=7.560,51.440,7.563,51.442&zoom=17",
        "Open311 requests.json": "/open311/v2/requests.json",
    }
    client = Client(HTTP_HOST="localhost")
    # the API's anonymous throttle (120 a minute per address) would answer 429 from the third
    # figure on: a city's users come from many addresses, this client from one
    from rest_framework.views import APIView

    APIView.throttle_classes = []
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["localhost"]):
        results = {}
        for name, url in targets.items():
            if name != "bare Django view" and not exists(url):
                print(f"  {name}: not built yet ({url})")
                continue
            results[name] = measure(client, url, n_requests)
    bare_rate = results["bare Django view"]["req/s"]
    print(f"{'':24}{'status':>7}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'× bare':>8}")
    for name, r in results.items():
        print(
            f"{name:24}{r['status']:>7}{r['req/s']:>9.0f}{r['p50']:>9.1f}{r['p95']:>9.1f}"
            f"{r['queries']:>9}{bare_rate / r['req/s']:>8.0f}"
        )


if __name__ == "__main__":
    main()

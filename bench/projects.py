"""Benchmark: the Vorhabenliste with 1,000 projects and a project page with 500 comments, each
beside a bare Django view.

Seeds N published projects below the demo's Vorhabenliste (each with districts, a Handlungsfeld,
coordinates and counters; every other one in a running phase) and 500 comments on "Neugestaltung
des Marktplatzes" (participation.contributions' Comment model, bulk-inserted), then measures the
list, a filtered list, the map's data, the CSV export, the project page and /api/v1/projects/
through the full middleware stack in one process.
Prints requests/s, p50/p95, queries and the ratio to a bare Django view; never fails on time.

    make bench            # or: .venv/bin/python bench/projects.py [projects] [comments] [requests]
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

workdir = tempfile.mkdtemp(prefix="portal-bench-projects-")
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
os.environ["DEBUG"] = "false"
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"

import django

django.setup()

from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import override_settings
from django.urls import include, path
from django.utils import timezone

from participation.projects.api import ProjectViewSet
from participation.projects.constants import Intensity, Module, ProjectStatus
from participation.projects.models import (
    FieldOfAction,
    Phase,
    ProjectIndexPage,
    ProjectPage,
    ProjectStatistics,
)
from portal.departments.models import Department, District


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("", include("portal.urls"))]


@transaction.atomic
def seed_projects(n: int) -> None:
    index = ProjectIndexPage.objects.get()
    fields = list(FieldOfAction.objects.all())
    departments = list(Department.objects.all())
    districts = list(District.objects.all())
    rng = random.Random(4711)
    pages = []
    for i in range(n):
        page = ProjectPage(
            title=f"Vorhaben {i:04d}: {rng.choice(['Radweg', 'Kita', 'Spielplatz', 'Platz'])}",
            slug=f"bench-vorhaben-{i}",
            summary="Ein Vorhaben der Stadt Schwerte mit einer kurzen Beschreibung.",
            field_of_action=rng.choice(fields),
            status=rng.choice(ProjectStatus.values),
            department=rng.choice(departments),
            location="Schwerte",
            latitude=Decimal(f"{rng.uniform(51.405, 51.475):.6f}"),
            longitude=Decimal(f"{rng.uniform(7.495, 7.655):.6f}"),
            participation_planned=i % 2 == 0,
        )
        index.add_child(instance=page)
        pages.append(page)
    through = ProjectPage.districts.through
    through.objects.bulk_create(
        [
            through(projectpage_id=page.pk, district_id=district.pk)
            for page in pages
            for district in rng.sample(districts, 2)
        ]
    )
    ProjectStatistics.objects.bulk_create(
        [ProjectStatistics(project_id=page.pk, contributions_online=5) for page in pages]
    )
    now = timezone.now()
    Phase.objects.bulk_create(
        [
            Phase(
                project_id=page.pk,
                name="Konsultation",
                intensity=Intensity.CONSULTATION,
                starts_at=now - timedelta(days=3),
                ends_at=now + timedelta(days=30),
                modules=[Module.IDEAS.value, Module.COMMENTS.value],
            )
            for page in pages[::2]
        ]
    )


def seed_comments(project: ProjectPage, n: int) -> int:
    """500 comments on the project; what the contributions app has decides what is seeded."""
    try:
        from participation.contributions.models import Comment
    except ImportError:
        print("  participation.contributions has no Comment model yet: no comments seeded")
        return 0
    now = timezone.now()
    phase = project.phase_at()
    Comment.objects.bulk_create(
        [
            Comment(
                target=project,
                phase=phase,
                text=f"Kommentar {i}: mehr Bäume und Bänke, bitte.",
                created_at=now - timedelta(minutes=n - i),
            )
            for i in range(n)
        ]
    )
    return Comment.objects.for_target(project).count()


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
    timings.sort()
    return {
        "status": response.status_code,
        "req/s": n / sum(timings),
        "p50": statistics.median(timings) * 1000,
        "p95": timings[max(int(n * 0.95) - 1, 0)] * 1000,
        "queries": len(queries),
    }


def main() -> None:
    n_projects = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    n_comments = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    n_requests = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    t0 = time.perf_counter()
    seed_projects(n_projects)
    marktplatz = ProjectPage.objects.get(slug="neugestaltung-marktplatz")
    comments = seed_comments(marktplatz, n_comments)
    total = ProjectPage.objects.live().count()
    print(
        f"\nSeeded {n_projects:,} projects ({total:,} in the list) and {comments} comments on "
        f"„{marktplatz.title}“ in {time.perf_counter() - t0:.0f} s (SQLite)"
    )
    targets = {
        "bare Django view": "/bench/bare/",
        "Vorhabenliste": "/vorhabenliste/",
        "Vorhabenliste, filtered": "/vorhabenliste/?beteiligung=on&seite=5",
        "map data (all)": "/vorhabenliste/karte/",
        "CSV export (all)": "/vorhabenliste/export/csv/",
        "project page": marktplatz.url,
        "API list (50)": "/api/v1/projects/",
    }
    client = Client(HTTP_HOST="localhost")
    # the API's anonymous throttle would answer 429 after 120 requests a minute
    ProjectViewSet.throttle_classes = []
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["localhost"]):
        results = {name: measure(client, url, n_requests) for name, url in targets.items()}
    bare_rate = results["bare Django view"]["req/s"]
    print(f"{'':26}{'status':>7}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'× bare':>8}")
    for name, r in results.items():
        print(
            f"{name:26}{r['status']:>7}{r['req/s']:>9.0f}{r['p50']:>9.1f}{r['p95']:>9.1f}"
            f"{r['queries']:>9}{bare_rate / r['req/s']:>8.0f}"
        )


if __name__ == "__main__":
    main()

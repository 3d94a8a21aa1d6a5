"""Benchmark: the home page against a bare Django view, in the same process and run.

Both requests go through the whole middleware stack, so the difference is what the page itself
costs (Wagtail routing, queries, templates). Prints figures; never fails on time.

    make bench            # or: .venv/bin/python bench/home.py [requests]
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

workdir = tempfile.mkdtemp(prefix="portal-bench-")
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
os.environ["DEBUG"] = "false"
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import override_settings
from django.urls import include, path


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("", include("portal.urls"))]


def measure(client: Client, url: str, n: int) -> dict:
    client.get(url)  # warm caches, as a running server would be
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)
    ):
        client.get(url)
    timings = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return {
        "req/s": n / sum(timings),
        "p50 ms": statistics.median(timings) * 1000,
        "p99 ms": timings[int(n * 0.99) - 1] * 1000,
        "queries": len(queries),
    }


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    client = Client(HTTP_HOST="localhost")
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["localhost"]):
        results = {
            "bare Django view": measure(client, "/bench/bare/", n),
            "home page": measure(client, "/", n),
        }
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"\nHome page vs. bare view, {n} requests each, one process, database {engine}")
    print(f"{'':18}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'queries':>9}")
    for name, r in results.items():
        print(
            f"{name:18}{r['req/s']:>10.0f}{r['p50 ms']:>10.2f}{r['p99 ms']:>10.2f}{r['queries']:>9}"
        )
    ratio = results["bare Django view"]["req/s"] / results["home page"]["req/s"]
    print(f"The home page costs {ratio:.1f}× a bare view.")


if __name__ == "__main__":
    main()

"""Benchmark: the Ideenpool with 10,000 ideas and 200,000 supports, beside a bare Django view.

Seeds N ideas (bulk-inserted, spread over Handlungsfelder, districts and stages, each with its
`support_count`) and S supports by 2,000 users, then measures the list (default, most supported,
ending soon, filtered), an idea page, the Atom feed and /api/v1/ideas/ through the full middleware
stack in one process, and the time of one "Unterstützen" (service call, as the view makes it).
Prints requests/s, p50/p95, queries and the ratio to a bare Django view; never fails on time.

    make bench            # or: .venv/bin/python bench/ideas.py [ideas] [supports] [requests]
"""

import io
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

workdir = tempfile.mkdtemp(prefix="portal-bench-ideas-")
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
os.environ["DEBUG"] = "false"
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"

import django

django.setup()

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.test import Client
from django.test.utils import override_settings
from django.urls import include, path
from django.utils import timezone

from participation.contributions.models import Idea, Support
from participation.ideas.constants import Stage
from participation.ideas.models import PoolIdea
from participation.ideas.services import idea_support
from participation.projects.models import FieldOfAction
from portal.accounts.models import TrustLevel, User
from portal.departments.models import District


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("", include("portal.urls"))]


@transaction.atomic
def seed(n_ideas: int, n_supports: int) -> list[User]:
    rng = random.Random(4711)
    fields = list(FieldOfAction.objects.all())
    districts = list(District.objects.all()) or [None]
    stages = list(Stage.values)
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(email=f"bench-{i}@schwerte.example", trust_level=TrustLevel.EMAIL_CONFIRMED)
            for i in range(2000)
        ]
    )
    per_idea = [0] * n_ideas
    pairs = set()
    while len(pairs) < n_supports:
        idea_index = min(int(rng.expovariate(1 / (n_ideas / 8))), n_ideas - 1)
        pairs.add((idea_index, rng.randrange(len(users))))
    for idea_index, _user in pairs:
        per_idea[idea_index] += 1
    pool_type = ContentType.objects.get_for_model(PoolIdea)
    inputs = Idea.objects.bulk_create(
        [
            Idea(
                target_type=pool_type,
                target_id=0,
                title=f"Idee {i:05d}: {rng.choice(['Bänke', 'Radweg', 'Bäume', 'Spielplatz'])}",
                text="Eine Idee für Schwerte mit einer kurzen Beschreibung. " * 3,
                district=rng.choice(districts),
                created_at=now - timedelta(hours=i),
                support_count=per_idea[i],
            )
            for i in range(n_ideas)
        ],
        batch_size=2000,
    )
    PoolIdea.objects.bulk_create(
        [
            PoolIdea(
                input=inputs[i],
                field_of_action=rng.choice(fields),
                stage=rng.choice(stages),
                submitted_at=now - timedelta(hours=i),
                support_ends_at=now - timedelta(hours=i) + timedelta(weeks=6),
            )
            for i in range(n_ideas)
        ],
        batch_size=2000,
    )
    Idea.objects.filter(target_type=pool_type, target_id=0).update(
        target_id=Subquery(PoolIdea.objects.filter(input=OuterRef("pk")).values("pk")[:1])
    )
    Support.objects.bulk_create(
        [Support(idea_id=inputs[i].pk, user_id=users[u].pk) for i, u in pairs],
        batch_size=5000,
    )
    return users


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
    n_ideas = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    n_supports = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    n_requests = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    t0 = time.perf_counter()
    users = seed(n_ideas, n_supports)
    print(
        f"\nSeeded {n_ideas:,} ideas and {n_supports:,} supports in "
        f"{time.perf_counter() - t0:.0f} s (SQLite; {PoolIdea.objects.count():,} ideas in all)"
    )
    newest = PoolIdea.objects.order_by("-input__support_count").first()
    stage = Stage.REVIEW
    targets = {
        "bare Django view": "/bench/bare/",
        "Ideenpool list": "/ideenpool/",
        "list, most supported": "/ideenpool/?sortierung=unterstuetzt",
        "list, ending soon": "/ideenpool/?sortierung=endet_bald",
        "list, stage, page 5": f"/ideenpool/?stufe={stage}&seite=5",
        "idea page (top idea)": f"/ideenpool/{newest.pk}/",
        "Atom feed": "/ideenpool/feed/",
        "API list": "/api/v1/ideas/",
    }
    client = Client(HTTP_HOST="localhost")
    signed_in = Client(HTTP_HOST="localhost")
    signed_in.force_login(users[0])
    from participation.ideas import api

    for viewset in vars(api).values():
        if isinstance(viewset, type) and hasattr(viewset, "throttle_classes"):
            viewset.throttle_classes = []
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["localhost"]):
        results = {name: measure(client, url, n_requests) for name, url in targets.items()}
        results["list, signed in"] = measure(signed_in, "/ideenpool/", n_requests)
    bare_rate = results["bare Django view"]["req/s"]
    print(f"{'':26}{'status':>7}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'× bare':>8}")
    for name, r in results.items():
        print(
            f"{name:26}{r['status']:>7}{r['req/s']:>9.0f}{r['p50']:>9.1f}{r['p95']:>9.1f}"
            f"{r['queries']:>9}{bare_rate / r['req/s']:>8.0f}"
        )
    # one support at a time, as the view makes it (the quorum check included)
    open_idea = PoolIdea.objects.filter(
        support_ends_at__gt=timezone.now(), stage=Stage.SUBMITTED
    ).first()
    timings = []
    for user in users[1000:1200]:
        t0 = time.perf_counter()
        try:
            idea_support(actor=user, idea=open_idea)
        except Exception:  # already supported by the seed
            continue
        timings.append(time.perf_counter() - t0)
    timings.sort()
    print(
        f"\n„Unterstützen“ (service, {len(timings)} supports): p50 "
        f"{statistics.median(timings) * 1000:.1f} ms, p95 "
        f"{timings[max(int(len(timings) * 0.95) - 1, 0)] * 1000:.1f} ms "
        f"(quorum {settings.IDEAS_QUORUM_SUPPORTS})"
    )


if __name__ == "__main__":
    main()

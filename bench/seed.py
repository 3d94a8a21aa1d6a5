"""City-scale data for bench/web.py: the demo, then reports with their tickets, ideas with
supports, projects (one with 500 comments) and a department queue, all bulk-inserted.

Run in the environment of the server it seeds for (bench/web.py starts it so):

    python -m bench.seed --reports 100000          # the base on the first call, then reports
    python -m bench.seed --reports 1000000         # adds only the reports missing up to 1M

The last line printed is a JSON object with the addresses to measure and a citizen's session.
Reports are added, never replaced, so one database grows through the sizes of a run.
"""

import argparse
import io
import json
import random
import sys
import time
from datetime import timedelta
from decimal import Decimal

import django

django.setup()

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command, get_commands
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, OuterRef, Subquery
from django.test import Client
from django.utils import timezone

from participation.contributions.models import Idea, Support
from participation.ideas.constants import Stage
from participation.ideas.models import PoolIdea
from participation.projects.constants import Intensity, Module, ProjectStatus
from participation.projects.models import (
    FieldOfAction,
    Phase,
    ProjectIndexPage,
    ProjectPage,
    ProjectStatistics,
)
from portal.accounts.models import TrustLevel, User
from portal.departments.models import Department, District
from portal.tickets.constants import CategoryKind, EventKind, RoutingState, TicketStatus
from portal.tickets.models import Category, Ticket, TicketEvent
from services.reports.models import Report
from services.reports.services import SOURCE_KIND

CITIZEN = "bench-citizen@schwerte.example"
STATUSES = [TicketStatus.RECEIVED, TicketStatus.IN_PROGRESS, TicketStatus.DONE]
BATCH = 5000


def _place(rng: random.Random) -> tuple[Decimal, Decimal]:
    """A random point in Schwerte (the whole-city bbox of the benchmark covers it)."""
    return (
        Decimal(f"{rng.uniform(51.405, 51.475):.6f}"),
        Decimal(f"{rng.uniform(7.495, 7.655):.6f}"),
    )


def _next_pk(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _reset_sequences(*models) -> None:
    """Rows were inserted with their primary keys: PostgreSQL's sequences must follow."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def seed_reports(upto: int) -> int:
    """Published reports with their routed tickets and the ticket's first event, until `upto`
    bench reports exist. Primary keys are assigned here, so the ticket names its source report
    in the same insert (as `ticket_open(source=report)` does)."""
    have = Ticket.objects.filter(access_token__startswith="bench-r").count()
    if have >= upto:
        return have
    categories = list(
        Category.objects.filter(kind=CategoryKind.REPORT, is_active=True).exclude(
            slug__in=["barrierefreiheit", "allgemein"]
        )
    )
    departments = list(Department.objects.all())
    districts = list(District.objects.all())
    report_type = ContentType.objects.get_for_model(Report)
    rng = random.Random(4711 + have)
    now = timezone.now()
    year = now.year
    ticket_pk, report_pk = _next_pk(Ticket), _next_pk(Report)
    for start in range(have, upto, BATCH):
        tickets, reports, events = [], [], []
        for i in range(start, min(start + BATCH, upto)):
            lat, lon = _place(rng)
            category = rng.choice(categories)
            received = now - timedelta(minutes=rng.randint(60, 60 * 24 * 365))
            status = rng.choice(STATUSES)
            tickets.append(
                Ticket(
                    pk=ticket_pk,
                    number=f"{year}-{i + 1:07d}",
                    access_token=f"bench-r{i}",
                    source_kind=SOURCE_KIND,
                    source_content_type=report_type,
                    source_object_id=report_pk,
                    category=category,
                    summary=f"Meldung {i}: Schaden am Gehweg",
                    latitude=lat,
                    longitude=lon,
                    address="Hagener Straße",
                    district=rng.choice(districts) if districts else None,
                    department=rng.choice(departments),
                    status=status,
                    routing_state=RoutingState.ROUTED,
                    received_at=received,
                    routed_at=received,
                    due_date=(received + timedelta(days=14)).date(),
                )
            )
            reports.append(
                Report(
                    pk=report_pk,
                    ticket_id=ticket_pk,
                    category=category,
                    description=f"Meldung {i}: Schaden am Gehweg vor Hausnummer {i % 90 + 1}",
                    latitude=lat,
                    longitude=lon,
                    address="Hagener Straße",
                    is_published=True,
                    published_at=received,
                    created_at=received,
                )
            )
            events.append(
                TicketEvent(
                    ticket_id=ticket_pk,
                    created_at=received,
                    kind=EventKind.CREATED,
                    to_status=TicketStatus.RECEIVED,
                    public_message="Ihr Anliegen ist eingegangen.",
                )
            )
            ticket_pk += 1
            report_pk += 1
        with transaction.atomic():
            Ticket.objects.bulk_create(tickets)
            Report.objects.bulk_create(reports)
            TicketEvent.objects.bulk_create(events)
    _reset_sequences(Ticket, Report)
    return upto


def seed_queue(n: int) -> Department:
    """`n` open contact tickets in one department's queue."""
    department = Department.objects.order_by("pk").first()
    category = Category.objects.order_by("pk").first()
    now = timezone.now()
    rng = random.Random(17)
    Ticket.objects.bulk_create(
        [
            Ticket(
                number=f"{now.year}-Q{i + 1:06d}",
                access_token=f"bench-q{i}",
                source_kind="kontakt",
                category=category,
                summary=f"Anliegen {i}: bitte um Rückruf",
                department=department,
                status=rng.choice(STATUSES[:2]),
                routing_state=RoutingState.ROUTED,
                received_at=now - timedelta(hours=i),
                routed_at=now - timedelta(hours=i),
                due_date=(now + timedelta(days=rng.randint(-5, 14))).date(),
            )
            for i in range(n)
        ],
        batch_size=BATCH,
    )
    return department


def seed_ideas(n_ideas: int, n_supports: int) -> None:
    """Pool ideas spread over fields, districts and stages, and supports by 2,000 people."""
    rng = random.Random(4711)
    fields = list(FieldOfAction.objects.all())
    districts = list(District.objects.all()) or [None]
    stages = list(Stage.values)
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(email=f"bench-{i}@schwerte.example", trust_level=TrustLevel.EMAIL_CONFIRMED)
            for i in range(2000)
        ],
        batch_size=BATCH,
    )
    n_supports = min(n_supports, n_ideas * len(users))
    per_idea = [0] * n_ideas
    pairs = set()
    while len(pairs) < n_supports:
        idea_index = min(int(rng.expovariate(1 / max(n_ideas / 8, 1))), n_ideas - 1)
        pairs.add((idea_index, rng.randrange(len(users))))
    for idea_index, _user in pairs:
        per_idea[idea_index] += 1
    pool_type = ContentType.objects.get_for_model(PoolIdea)
    with transaction.atomic():
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
            batch_size=BATCH,
        )


@transaction.atomic
def seed_projects(n: int) -> None:
    """Published projects below the demo's Vorhabenliste; every other one in a running phase."""
    index = ProjectIndexPage.objects.get()
    fields = list(FieldOfAction.objects.all())
    departments = list(Department.objects.all())
    districts = list(District.objects.all())
    rng = random.Random(4711)
    pages = []
    for i in range(n):
        lat, lon = _place(rng)
        page = ProjectPage(
            title=f"Vorhaben {i:04d}: {rng.choice(['Radweg', 'Kita', 'Spielplatz', 'Platz'])}",
            slug=f"bench-vorhaben-{i}",
            summary="Ein Vorhaben der Stadt Schwerte mit einer kurzen Beschreibung.",
            field_of_action=rng.choice(fields),
            status=rng.choice(ProjectStatus.values),
            department=rng.choice(departments),
            location="Schwerte",
            latitude=lat,
            longitude=lon,
            participation_planned=i % 2 == 0,
        )
        index.add_child(instance=page)
        pages.append(page)
    through = ProjectPage.districts.through
    through.objects.bulk_create(
        [
            through(projectpage_id=page.pk, district_id=district.pk)
            for page in pages
            for district in rng.sample(districts, min(2, len(districts)))
        ]
    )
    ProjectStatistics.objects.bulk_create(
        [ProjectStatistics(project_id=page.pk, contributions_online=5) for page in pages],
        ignore_conflicts=True,
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
    """`n` comments in the project's discussion."""
    from participation.contributions.models import Comment

    now = timezone.now()
    Comment.objects.bulk_create(
        [
            Comment(
                target=project,
                phase=project.phase_at(),
                text=f"Kommentar {i}: mehr Bäume und Bänke, bitte.",
                created_at=now - timedelta(minutes=n - i),
            )
            for i in range(n)
        ],
        batch_size=BATCH,
    )
    return Comment.objects.for_target(project).count()


def citizen_session() -> str:
    """A signed-in citizen's session cookie value (the session is stored like any login's)."""
    user, _ = User.objects.get_or_create(
        email=CITIZEN, defaults={"trust_level": TrustLevel.EMAIL_CONFIRMED}
    )
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def seed_base(args, log) -> None:
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    log(f"migrated and loaded the demo in {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    seed_ideas(args.ideas, args.supports)
    seed_projects(args.projects)
    marktplatz = ProjectPage.objects.get(slug="neugestaltung-marktplatz")
    comments = seed_comments(marktplatz, args.comments)
    seed_queue(args.queue)
    log(
        f"seeded {args.ideas:,} ideas, {args.supports:,} supports, {args.projects:,} projects, "
        f"{comments} comments, {args.queue:,} queue tickets in {time.perf_counter() - t0:.0f} s"
    )


def targets() -> dict:
    from wagtail.models import Page

    report = Report.objects.filter(ticket__access_token="bench-r0").select_related("ticket").get()
    impressum = Page.objects.live().filter(slug="impressum").first()
    leistungen = Page.objects.live().filter(slug="leistungen").first()
    project = ProjectPage.objects.live().filter(slug="bench-vorhaben-1").first() or (
        ProjectPage.objects.live().exclude(slug="neugestaltung-marktplatz").first()
    )
    marktplatz = ProjectPage.objects.get(slug="neugestaltung-marktplatz")
    idea = PoolIdea.objects.order_by("-input__support_count").first()
    return {
        "impressum": impressum.url if impressum else "/impressum/",
        "leistungen": leistungen.url if leistungen else "/leistungen/",
        "report": f"/maengel/{report.ticket.number}/",
        "project": project.url,
        "project_comments": marktplatz.url,
        "idea": f"/ideenpool/{idea.pk}/",
        "session": citizen_session(),
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "reports": Report.objects.filter(is_published=True).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--supports", type=int, default=200_000)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=500)
    parser.add_argument("--queue", type=int, default=2000)
    args = parser.parse_args()

    def log(text: str) -> None:
        print(f"  [{connection.vendor}] {text}", file=sys.stderr, flush=True)

    if not _migrated() or not User.objects.filter(email=CITIZEN).exists():
        seed_base(args, log)
    t0 = time.perf_counter()
    before = Ticket.objects.filter(access_token__startswith="bench-r").count()
    seed_reports(args.reports)
    log(f"added {args.reports - before:,} reports in {time.perf_counter() - t0:.0f} s")
    # the bulk inserts bypass the writers that keep derived tables current (the map's clusters)
    if "rebuild_map_clusters" in get_commands():
        t0 = time.perf_counter()
        call_command("rebuild_map_clusters", stdout=io.StringIO())
        log(f"rebuilt the map clusters in {time.perf_counter() - t0:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(json.dumps(targets()))


def _migrated() -> bool:
    return User._meta.db_table in connection.introspection.table_names()


if __name__ == "__main__":
    main()
